"""The household the demo prints for trying the portal (two properties), given a story that
fills every section of its portal home page: visits booked at both properties, a job done today
whose invoice is open (with photos and the signed work order in its documents), an overdue
unit, and (app.demo.requests) an open request with three preferred days.

Every scale copy has one such household; nothing here draws on the random source except the
planning helpers it reuses, so the rest of the demo stays as it was.
"""

from datetime import timedelta

from app.demo.context import Demo, next_weekday
from app.demo.sites import CustomerRec, SiteRec, UnitRec, by_crew
from app.demo.visits import Order, plan_maintenance, trim_unfinished
from app.models.enums import CustomerKind
from app.models.enums import WorkOrderStatus as Status

UPCOMING_DAYS = (1, 10)  # the booked visits: at the home tomorrow, then at the second property
ON_SITE_FOR = timedelta(hours=2)  # the household's job today: on site since then
OVERDUE_BY_DAYS = 45  # how long the overdue unit has been due


def portal_household(customers: list[CustomerRec]) -> CustomerRec | None:
    """The first residential customer with several properties and a portal login (the one
    app.demo.cli prints for the portal)."""
    return next(
        (
            customer
            for customer in customers
            if customer.kind == CustomerKind.RESIDENTIAL
            and len(customer.sites) > 1
            and customer.portal_logins
        ),
        None,
    )


def tell_household_stories(
    demo: Demo, customers: list[CustomerRec], orders: list[Order]
) -> list[Order]:
    """`orders` with each scale copy's household story written in, oldest first again."""
    for copy in by_crew(customers):
        household = portal_household(copy)
        if household is not None:
            orders = _tell(demo, household, orders)
    return sorted(orders, key=lambda order: order.created_at)


def _tell(demo: Demo, household: CustomerRec, orders: list[Order]) -> list[Order]:
    """`orders` with the household's story written in (see the module's docstring)."""
    home, second = household.sites[0], household.sites[1]
    overdue = _overdue_unit(demo, household)
    if overdue is not None:
        orders = _without_recent_service(demo, orders, overdue)
    charged = [u for u in home.units if u is not overdue and u.refrigerant and u.full_charge_lb]
    orders.append(_recent_job(demo, charged[0] if charged else home.units[-1]))
    for site, days in zip((home, second), UPCOMING_DAYS, strict=True):
        orders.append(_booked_visit(demo, site, days))
    return orders


def _overdue_unit(demo: Demo, household: CustomerRec) -> UnitRec | None:
    """A unit installed long enough ago to be overdue, the second property's first unit first
    (the one booked there)."""
    units = [unit for site in reversed(household.sites) for unit in site.units]
    for unit in units:
        due_after = timedelta(days=unit.spec.interval_months * 31 + OVERDUE_BY_DAYS)
        if unit.install_date <= demo.today - due_after:
            return unit
    return None


def _without_recent_service(demo: Demo, orders: list[Order], unit: UnitRec) -> list[Order]:
    """Leave out the unit's visits of its last interval and a bit more: it is overdue now."""
    since = demo.at(
        demo.today - timedelta(days=unit.spec.interval_months * 31 + OVERDUE_BY_DAYS), 0
    )
    return [
        order
        for order in orders
        if order.unit is not unit or order.start is None or order.start < since
    ]


def _recent_job(demo: Demo, unit: UnitRec) -> Order:
    """Today's maintenance visit, the technician on site for two hours now; written with no
    lines or notes: app.demo.closeout records and closes it out through the product (its
    signed work order and its invoice, open, not paid yet)."""
    order = plan_maintenance(demo, unit, demo.today)
    order.status, order.description, order.completed_at = Status.IN_PROGRESS, "", None
    arrived = demo.now - ON_SITE_FOR
    order.start = arrived - timedelta(minutes=arrived.minute % 15, seconds=arrived.second)
    order.start = order.start.replace(microsecond=0)
    order.end = order.start + timedelta(hours=2)
    order.created_at = min(order.created_at, order.start - timedelta(days=3))
    order.lines, order.note, order.note_public = [], "", False
    order.household_job = True
    return order


def _booked_visit(demo: Demo, site: SiteRec, days: int) -> Order:
    """A maintenance visit booked `days` ahead at `site` (for its overdue unit, when it has one),
    with its technician."""
    order = plan_maintenance(demo, site.units[0], next_weekday(demo.today + timedelta(days=days)))
    if days == 1:  # tomorrow, even on a weekend: with the crew's technician on call then
        order.start = demo.at(demo.today + timedelta(days=1), 10.0)
        order.end, order.tech = order.start + timedelta(hours=2), site.customer.crew[0]
    trim_unfinished(order)
    return order
