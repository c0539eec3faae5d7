"""Reads of a customer's service history: the portal page's filters, its pages (also a unit's
page) and the work orders its exports list (written by reports/history_csv.py and
reports/history_pdf.py).

The page and both exports build their query with `matching_work_orders`, so a filter can
never mean one thing on screen and another in a download. Everything starts from the
customer's scope; a property or unit id that is not theirs is left out (`read_filters`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.extensions import db
from app.formatting import local_date
from app.labels import label
from app.models import Property, Unit, WorkOrder, WorkOrderNote, WorkOrderPhoto
from app.models.enums import WorkOrderStatus
from app.queries.dashboard import day_bounds_utc
from app.queries.filters import read_filters
from app.queries.paging import paginate
from app.scoping import ANY_CUSTOMER, CustomerScope

EXPORT_LIMIT = 5000
SEARCH_MAX_LENGTH = 100
# Dates outside these years are typing mistakes, and far enough out they overflow a datetime.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


@dataclass(frozen=True)
class HistoryFilters:
    """What the customer asked to see. Ids are only kept once they are known to be theirs."""

    q: str = ""
    property_id: int | None = None
    unit_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: WorkOrderStatus | None = None
    property_name: str = ""
    unit_name: str = ""

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments, for page links and export links."""
        args = {
            "q": self.q,
            "property_id": self.property_id,
            "unit_id": self.unit_id,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "status": self.status.value if self.status else None,
        }
        return {name: str(value) for name, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.query_args())

    def summary(self) -> list[str]:
        """The filters in words, one line each (for the PDF's heading)."""
        lines = []
        if self.q:
            lines.append(_("Search: %(text)s", text=self.q))
        if self.property_name:
            lines.append(_("Property: %(name)s", name=self.property_name))
        if self.unit_name:
            lines.append(_("Unit: %(name)s", name=self.unit_name))
        if self.date_from:
            lines.append(_("From: %(day)s", day=local_date(self.date_from)))
        if self.date_to:
            lines.append(_("To: %(day)s", day=local_date(self.date_to)))
        if self.status:
            lines.append(_("Status: %(status)s", status=label(self.status)))
        return lines or [_("All work orders")]


def _local_day(value: str) -> date | None:
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def parse_filters(
    args: Mapping[str, str], properties: Sequence[Property], units: Sequence[Unit]
) -> tuple[HistoryFilters, list]:
    """Filters from query arguments, plus a message for each one that could not be used.

    Unreadable values are left out (with a message); a property or unit that is not among the
    customer's `properties` and `units` is left out like on every other page (`read_filters`).
    """
    places, problems = read_filters(args, properties=properties, units=units)
    found: dict = {"q": (args.get("q") or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]}
    for key, record in (("property", places.prop), ("unit", places.unit)):
        if record is not None:
            found[f"{key}_id"], found[f"{key}_name"] = record.id, record.name
    for name, key in (("from", "date_from"), ("to", "date_to")):
        typed = (args.get(name) or "").strip()
        if not typed:
            continue
        day = _local_day(typed)
        if day is None:
            problems.append(
                _("“%(value)s” is not a date we can use. Please pick a date.", value=typed[:20])
            )
        found[key] = day
    if found.get("date_from") and found.get("date_to") and found["date_from"] > found["date_to"]:
        found["date_from"], found["date_to"] = found["date_to"], found["date_from"]
        problems.append(_("The start date was after the end date, so we swapped them."))
    typed_status = (args.get("status") or "").strip()
    if typed_status:
        try:
            found["status"] = WorkOrderStatus(typed_status)
        except ValueError:
            problems.append(_("We did not recognize that status, so all statuses are shown."))
    return HistoryFilters(**found), problems


def service_date():
    """When a work order happened (or will): completed, else its first visit, else created."""
    return func.coalesce(WorkOrder.completed_at, WorkOrder.first_arrival, WorkOrder.created_at)


# Which filters a statement has: one statement is built per combination, once per process
# (through ANY_CUSTOMER, the filters' values bound when it runs). Building the page's select
# with its loader options, and working out its cache key, cost more than running it.
_FILTER_NAMES = ("property_id", "unit_id", "status", "since", "until", "search")
# The search matches text as typed: LIKE's wildcards in it are escaped with this character.
_ESCAPE = "/"


def _parameters(scope: CustomerScope, filters: HistoryFilters) -> dict:
    """The values of the filters in use, and the customer, as the statements' parameters."""
    escaped = filters.q
    for character in (_ESCAPE, "%", "_"):
        escaped = escaped.replace(character, _ESCAPE + character)
    values = {
        "property_id": filters.property_id,
        "unit_id": filters.unit_id,
        "status": filters.status,
        "since": day_bounds_utc(filters.date_from)[0] if filters.date_from else None,
        "until": day_bounds_utc(filters.date_to)[1] if filters.date_to else None,
        "search": escaped,
    }
    return {**scope.bound(), **{name: value for name, value in values.items() if value}}


@lru_cache(maxsize=64)
def _matching(filtered: frozenset) -> Select:
    conditions = [ANY_CUSTOMER.where(WorkOrder)]
    if "property_id" in filtered:
        conditions.append(WorkOrder.property_id == bindparam("property_id"))
    if "unit_id" in filtered:
        conditions.append(WorkOrder.unit_id == bindparam("unit_id"))
    if "status" in filtered:
        conditions.append(WorkOrder.status == bindparam("status"))
    if "since" in filtered:
        conditions.append(service_date() >= bindparam("since"))
    if "until" in filtered:
        conditions.append(service_date() < bindparam("until"))
    if "search" in filtered:
        searched = (WorkOrder.number, WorkOrder.summary, WorkOrder.description, Unit.name)
        conditions.append(
            or_(*(column.icontains(bindparam("search"), escape=_ESCAPE) for column in searched))
        )
    return (
        select(WorkOrder)
        .outerjoin(WorkOrder.unit)
        .where(*conditions)
        .options(
            contains_eager(WorkOrder.unit),
            joinedload(WorkOrder.property),
            joinedload(WorkOrder.technician),
            selectinload(WorkOrder.lines),
        )
        .order_by(service_date().desc(), WorkOrder.id.desc())
    )


def matching_work_orders(scope: CustomerScope, filters: HistoryFilters) -> tuple[Select, dict]:
    """The customer's work orders matching `filters`, newest first, with what a row shows: the
    statement and the parameters to run it with."""
    parameters = _parameters(scope, filters)
    return _matching(frozenset(parameters) & frozenset(_FILTER_NAMES)), parameters


@lru_cache(maxsize=64)
def _with_visits(matching: Select) -> Select:
    return matching.options(selectinload(WorkOrder.visits))  # each card shows their windows


@cache
def _visible_to_customer(model) -> Select:
    return (
        ANY_CUSTOMER.select(model)
        .where(model.work_order_id.in_(bindparam("ids", expanding=True)))
        .order_by(model.created_at, model.id)
    )


@dataclass
class HistoryPage:
    paging: Pagination  # the page of work orders, for the pager
    notes: dict  # work order id -> the notes the customer may read
    photos: dict  # work order id -> photos

    @property
    def work_orders(self) -> list:
        return self.paging.items

    @property
    def total(self) -> int:
        return self.paging.total


def history_page(scope: CustomerScope, filters: HistoryFilters, page: str | None) -> HistoryPage:
    """One page of matching work orders with their customer-visible notes and photos.

    Notes and photos are loaded through the scope (not the relationships), so a note kept
    for the office can never reach the page, whatever else loaded the work order first.
    """
    matching, parameters = matching_work_orders(scope, filters)
    paging = paginate(_with_visits(matching), page, parameters=parameters)
    ids = [work_order.id for work_order in paging.items]
    found: dict[type, dict] = {WorkOrderNote: {}, WorkOrderPhoto: {}}
    if ids:
        for model, by_work_order in found.items():
            rows = db.session.scalars(_visible_to_customer(model), {**scope.bound(), "ids": ids})
            for row in rows:
                by_work_order.setdefault(row.work_order_id, []).append(row)
    return HistoryPage(paging, found[WorkOrderNote], found[WorkOrderPhoto])


def export_work_orders(scope: CustomerScope, filters: HistoryFilters) -> tuple[list, bool]:
    """Every matching work order up to EXPORT_LIMIT, and whether more were left out."""
    matching, parameters = matching_work_orders(scope, filters)
    rows = list(db.session.scalars(matching.limit(EXPORT_LIMIT + 1), parameters).unique())
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT
