"""The compliance report's queries: checking what was asked for and loading a customer's
refrigerant records for the period (one query per table, whatever the number of appliances)
into the plain data reports.compliance_pdf draws. The job and the CLI share them
(reports.compliance_job).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    ChargeRevision,
    ComplianceObligation,
    Customer,
    Property,
    RefrigerantEvent,
    RepairEpisode,
    Unit,
)
from app.models.enums import LeakRateMethod, ObligationKind, RefrigerantEventKind
from app.services import compliance
from app.services.company import current_company
from app.services.full_charge import charge_in_effect
from app.services.refrigerant_ledger import regimes_or_problem
from reports import compliance_data as pdf
from reports.compliance_notes import interpretations

MAX_YEARS = 10
EPISODE_DEADLINES = (
    ObligationKind.REPAIR,
    ObligationKind.INITIAL_VERIFICATION,
    ObligationKind.FOLLOWUP_VERIFICATION,
    ObligationKind.RETROFIT_PLAN,
    ObligationKind.RETROFIT_COMPLETION,
)
TESTS = (RefrigerantEventKind.INITIAL_VERIFICATION, RefrigerantEventKind.FOLLOWUP_VERIFICATION)


@dataclass(frozen=True)
class ReportRequest:
    """Checked parameters: who, where (None: every site) and the period."""

    customer_id: int
    customer_name: str
    property_id: int | None
    date_from: date
    date_to: date

    @property
    def title(self) -> str:
        return _(
            "EPA refrigerant compliance report %(start)s to %(end)s",
            start=self.date_from.isoformat(),
            end=self.date_to.isoformat(),
        )

    @property
    def filename(self) -> str:
        where = f"property-{self.property_id}" if self.property_id else f"c{self.customer_id}"
        return f"epa-compliance-{where}-{self.date_from}-to-{self.date_to}.pdf"


def check_params(params: dict) -> ReportRequest:
    """The checked request; ValueError with a message for people when something is wrong."""
    customer_id = _whole_number(params.get("customer_id"), "customer_id")
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise ValueError(f"Unknown customer {customer_id}.")
    property_id = params.get("property_id")
    if property_id is not None:
        place = db.session.get(Property, _whole_number(property_id, "property_id"))
        if place is None or place.customer_id != customer.id:
            raise ValueError(f"Property {property_id} is not one of {customer.name}'s properties.")
    date_from = _iso_date(params.get("date_from"), "date_from")
    date_to = _iso_date(params.get("date_to"), "date_to")
    if date_from > date_to:
        raise ValueError(f"The start date {date_from} is after the end date {date_to}.")
    if period_too_long(date_from, date_to):
        raise ValueError(f"The period is longer than {MAX_YEARS} years; choose a shorter one.")
    return ReportRequest(customer.id, customer.name, property_id, date_from, date_to)


def period_too_long(date_from: date, date_to: date) -> bool:
    """Whether the period is longer than MAX_YEARS years (the one rule the form and the job
    share): it must end before the same day MAX_YEARS years on."""
    return date_to >= _years_after(date_from, MAX_YEARS)


def load_report(request: ReportRequest) -> pdf.ComplianceReport:
    """The customer's records for the period as the builder's plain data."""
    company = current_company()  # read once: outside a request it is not cached
    zone = company.zone
    now = datetime.now(zone)
    through = min(request.date_to, now.date())
    query = select(Property).where(Property.customer_id == request.customer_id)
    if request.property_id:
        query = query.where(Property.id == request.property_id)
    sites = db.session.scalars(query.order_by(Property.name, Property.id)).all()
    site_by_id = {site.id: site for site in sites}
    units = db.session.scalars(
        select(Unit)
        .where(Unit.property_id.in_(site_by_id))
        .order_by(Unit.property_id, Unit.name, Unit.id)
    ).all()
    unit_ids = [unit.id for unit in units]
    revisions = _by_unit(
        db.session.scalars(
            select(ChargeRevision)
            .where(ChargeRevision.unit_id.in_(unit_ids))
            .order_by(ChargeRevision.effective_on, ChargeRevision.id)
        )
    )
    episodes = db.session.scalars(
        select(RepairEpisode)
        .where(
            RepairEpisode.unit_id.in_(unit_ids),
            RepairEpisode.discovered_on <= request.date_to,
            or_(RepairEpisode.closed_on.is_(None), RepairEpisode.closed_on >= request.date_from),
        )
        .order_by(RepairEpisode.discovered_on, RepairEpisode.id)
    ).all()
    episode_ids = [episode.id for episode in episodes]
    # Whole calendar years, for the chronic-leaker status; the log shows only the period.
    first = datetime.combine(date(request.date_from.year, 1, 1), time(), zone).astimezone(UTC)
    after = datetime.combine(date(request.date_to.year + 1, 1, 1), time(), zone).astimezone(UTC)
    events = db.session.scalars(
        select(RefrigerantEvent)
        .options(joinedload(RefrigerantEvent.technician))
        .where(
            RefrigerantEvent.unit_id.in_(unit_ids),
            or_(
                and_(RefrigerantEvent.occurred_at >= first, RefrigerantEvent.occurred_at < after),
                RefrigerantEvent.episode_id.in_(episode_ids),
            ),
        )
        .order_by(RefrigerantEvent.occurred_at, RefrigerantEvent.id)
    ).all()
    obligations = db.session.scalars(
        select(ComplianceObligation)
        .where(
            ComplianceObligation.unit_id.in_(unit_ids),
            or_(
                ComplianceObligation.episode_id.in_(episode_ids),
                and_(
                    ComplianceObligation.due_on <= request.date_to,
                    or_(
                        ComplianceObligation.due_on >= request.date_from,
                        ComplianceObligation.completed_on.is_(None),
                        ComplianceObligation.completed_on >= request.date_from,
                    ),
                ),
            ),
        )
        .order_by(ComplianceObligation.due_on, ComplianceObligation.id)
    ).all()

    days = {event.id: event.occurred_at.astimezone(zone).date() for event in events}
    events_by_unit = _by_unit(events)
    episodes_by_unit = _by_unit(episodes)
    obligations_by_unit = _by_unit(obligations)
    in_period = {
        event.id for event in events if request.date_from <= days[event.id] <= request.date_to
    }
    appliances = []
    for unit in units:
        unit_events = events_by_unit.get(unit.id, [])
        if not unit.refrigerant_type and not unit_events:
            continue
        appliances.append(
            _appliance(
                unit,
                site_by_id[unit.property_id],
                revisions.get(unit.id, []),
                unit_events,
                episodes_by_unit.get(unit.id, []),
                obligations_by_unit.get(unit.id, []),
                days,
                in_period,
                request,
                through,
            )
        )
    performed = Counter(
        (event.technician.name, event.certification_number)
        for event in events
        if event.id in in_period and event.technician is not None
    )
    return pdf.ComplianceReport(
        company=company.name,
        customer=request.customer_name,
        sites=tuple(pdf.Site(site.name, site.address, _method(site).value) for site in sites),
        date_from=request.date_from,
        date_to=request.date_to,
        data_through=through,
        generated_at=now,
        appliances=tuple(appliances),
        technicians=tuple(
            pdf.Technician(name, number, count)
            for (name, number), count in sorted(performed.items())
        ),
        interpretations=interpretations(company.part84_first_calculation_365_days),
        title=_("EPA refrigerant compliance report"),
        brand_color=company.brand_color,
    )


def _appliance(
    unit, site, revisions, events, episodes, obligations, days, in_period, request, through
):
    charge_now = charge_in_effect(revisions, through)
    category = unit.epa_appliance_type.value if unit.epa_appliance_type else ""
    regimes, note = regimes_or_problem(unit, charge_now)
    method = _method(site)
    shown = [_event(event, days[event.id]) for event in events if event.id in in_period]
    by_episode = defaultdict(list)
    for obligation in obligations:
        by_episode[obligation.episode_id].append(obligation)
    tests = defaultdict(list)
    for event in events:
        if event.episode_id is not None and event.kind in TESTS:
            tests[event.episode_id].append(_event(event, days[event.id]))
    locations, opening = defaultdict(list), {}
    for event in events:
        if event.episode_id is not None and event.leak_rate_percent is not None:
            opening.setdefault(event.episode_id, event)
        if event.episode_id is not None and event.leak_location:
            if event.leak_location not in locations[event.episode_id]:
                locations[event.episode_id].append(event.leak_location)
    loose = [o for o in obligations if o.episode_id is None or o.kind not in EPISODE_DEADLINES]
    frequency = ""
    if category and charge_now:
        schedule = compliance.inspection_schedule(category, charge_now)
        frequency = (
            "quarterly (every 3 months, or 90 days if earlier)"
            if schedule.frequency == "quarterly"
            else "yearly (every 365 days)"
        )
    return pdf.Appliance(
        code=unit.printed_label_code,
        name=str(unit),
        site=site.name,
        category=category,
        refrigerant=unit.refrigerant_type,
        regimes=tuple(sorted(regimes)),
        full_charge_lb=charge_now,
        charge_method=unit.charge_method.value if unit.charge_method else "",
        install_date=unit.install_date,
        excluded_subsector=unit.part84_excluded_subsector,
        facility_method=method.value,
        charge_revisions=tuple(
            pdf.ChargeRecord(
                r.effective_on,
                r.full_charge_lb,
                r.method.value if r.method else "",
                r.range_low_lb,
                r.range_high_lb,
            )
            for r in revisions
        ),
        inspection_frequency=frequency,
        regime_note=note,
        events=tuple(shown),
        episodes=tuple(
            pdf.Episode(
                discovered_on=episode.discovered_on,
                status=episode.status.value,
                leak_rate_percent=_opening_percent(episode, opening.get(episode.id)),
                threshold_percent=episode.threshold_percent,
                repaired_on=episode.repaired_on,
                closed_on=episode.closed_on,
                retrofit_decided_on=episode.retrofit_decided_on,
                leak_locations=tuple(locations[episode.id]),
                deadlines=tuple(
                    _deadline(o)
                    for o in sorted(by_episode[episode.id], key=_deadline_order)
                    if o.kind in EPISODE_DEADLINES
                ),
                tests=tuple(tests[episode.id]),
                notes=episode.notes,
            )
            for episode in episodes
        ),
        inspections_due=tuple(
            _deadline(o) for o in loose if o.kind == ObligationKind.LEAK_INSPECTION
        ),
        other_deadlines=tuple(
            _deadline(o) for o in loose if o.kind != ObligationKind.LEAK_INSPECTION
        ),
        chronic_years=_chronic_years(unit, revisions, events, days, regimes, request, through),
    )


def _event(event: RefrigerantEvent, day: date) -> pdf.ServiceEvent:
    rate = None
    if event.leak_rate_percent is not None:
        inputs = event.leak_rate_inputs or {}
        rate = pdf.LeakRateRecord(
            percent=inputs.get("percent") or compliance.display_percent(event.leak_rate_percent),
            method=event.leak_rate_method.value if event.leak_rate_method else "",
            regime=inputs.get("regime", ""),
            threshold=event.leak_rate_threshold,
            exceeded=bool(event.leak_rate_exceeded),
            full_charge_lb=str(inputs.get("full_charge_lb", "")),
            pounds_counted=str(inputs.get("pounds_counted", "")),
            days=inputs.get("days"),
            previous_addition_on=inputs.get("previous_addition_on"),
            window_start=inputs.get("window_start"),
            reset_by_test_on=inputs.get("reset_by_test_on"),
            first_part84_calculation=bool(inputs.get("first_part84_calculation")),
            prior_date_unknown=bool(inputs.get("prior_date_unknown")),
        )
    return pdf.ServiceEvent(
        day=day,
        kind=event.kind.value,
        pounds_added=event.pounds_added or Decimal(0),
        pounds_removed=event.pounds_removed or Decimal(0),
        pounds_returned=event.pounds_returned or Decimal(0),
        technician=event.technician.name if event.technician else "",
        certification_number=event.certification_number,
        leak_location=event.leak_location,
        notes=event.notes,
        parts_serviced=event.parts_serviced,
        exempt_reason=event.exempt_reason.value if event.exempt_reason else "",
        test_method=event.test_method,
        test_passed=event.test_passed,
        leak_found=event.leak_found,
        leak_rate=rate,
    )


def _opening_percent(episode: RepairEpisode, event: RefrigerantEvent | None) -> str:
    """The display value of the rate that opened the episode (from its exact value if kept)."""
    inputs = (event.leak_rate_inputs or {}) if event is not None else {}
    return inputs.get("percent") or compliance.display_percent(episode.leak_rate_percent)


def _method(site: Property) -> LeakRateMethod:
    return site.leak_rate_method or LeakRateMethod.ANNUALIZING


def _deadline_order(obligation: ComplianceObligation) -> tuple:
    """Repair, initial test, follow-up test, retrofit plan: the order they happen in."""
    kinds = list(EPISODE_DEADLINES)
    rank = kinds.index(obligation.kind) if obligation.kind in kinds else len(kinds)
    return rank, obligation.due_on, obligation.id


def _deadline(obligation: ComplianceObligation) -> pdf.Deadline:
    return pdf.Deadline(
        obligation.kind.value,
        obligation.due_on,
        obligation.completed_on,
        suspended_on=obligation.suspended_on,
        ended_reason=obligation.ended_reason,
        notes=obligation.notes,
    )


def _chronic_years(unit, revisions, events, days, regimes, request, through):
    """Each calendar year of the period (up to the data-through date), for covered units."""
    if not regimes:
        return ()
    additions = [
        (days[e.id], max(e.pounds_added - e.pounds_returned, Decimal(0)))
        for e in events
        if e.kind == RefrigerantEventKind.ADDITION and e.exempt_reason is None
    ]
    if regimes == {compliance.PART84}:
        additions = [(d, lb) for d, lb in additions if compliance.regime_in_effect("part84", d)]
    years = []
    for year in range(request.date_from.year, min(request.date_to.year, through.year) + 1):
        charge = charge_in_effect(revisions, min(date(year, 12, 31), through))
        if not charge:
            continue
        percent = compliance.chronic_leak_percent(charge, additions, year)
        years.append(
            pdf.ChronicYear(
                year=year,
                percent=compliance.display_percent(percent),
                full_charge_lb=charge,
                chronic=compliance.is_chronic_leaker(charge, additions, year),
                report_due=compliance.chronic_report_due(year),
                in_effect=any(
                    compliance.regime_in_effect(regime, date(year, 12, 31)) for regime in regimes
                ),
            )
        )
    return tuple(years)


def _by_unit(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.unit_id].append(row)
    return grouped


def _whole_number(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    return value


def _iso_date(value, name: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)
