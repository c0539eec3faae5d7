"""Service requests: the ones behind repair work orders, and a fresh few in the dispatch queue."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.demo.catalog import ON_SITE_CALLERS
from app.demo.context import Demo, next_weekday
from app.demo.household import portal_household
from app.demo.pricebook import REPAIRS
from app.demo.sites import CustomerRec, PortalLogin, UnitRec, by_crew
from app.demo.visits import Order
from app.models import RepeatReport, ServiceRequest
from app.models.enums import CustomerKind, RequestSource, RequestStatus, TimeWindow

PREFERRED_DATE_COLUMNS = ("preferred_date", "second_preferred_date", "third_preferred_date")
CONVERTED_SHARE = 0.4  # of repair work orders, the share that started as a request
DISMISSALS = (
    "Customer found a tripped breaker; everything runs again.",
    "Duplicate of a request already converted to a work order.",
    "Thermostat batteries were dead; talked the caller through it.",
)


@dataclass(slots=True, eq=False)
class Request:
    source: RequestSource
    customer: CustomerRec
    unit: UnitRec
    contact_name: str
    description: str
    created_at: datetime
    portal_login: PortalLogin | None = None
    status: RequestStatus = RequestStatus.NEW
    order: Order | None = None
    preferred_dates: tuple[date, ...] = ()  # first choice first
    preferred_window: TimeWindow = TimeWindow.ANY
    report_count: int = 1
    dismissed_reason: str = ""
    closed_at: datetime | None = None


def plan_requests(demo: Demo, customers: list[CustomerRec], orders: list[Order]) -> list[Request]:
    """Requests converted into repair orders, plus new and dismissed ones for each scale copy."""
    requests = []
    for order in orders:
        if order.purpose == "repair" and order.unit and demo.chance(CONVERTED_SHARE):
            symptom = order.summary.split(":")[0]
            request = _request(demo, order.unit, f"{order.unit.name}: {symptom}.", order.created_at)
            request.created_at -= timedelta(minutes=demo.rng.randint(10, 240))
            request.status, request.order = RequestStatus.CONVERTED, order
            request.closed_at = order.created_at
            requests.append(request)
    for copy in by_crew(customers):
        requests += _fresh_requests(demo, copy)
    requests.sort(key=lambda request: request.created_at)
    return requests


def write_requests(demo: Demo, requests: list[Request]) -> None:
    """Insert the requests, their repeat reports, and point converted ones' work orders at them."""
    numbers = demo.writer.numbers(ServiceRequest.NUMBER_PREFIX, len(requests))
    rows = [_row(request, number) for request, number in zip(requests, numbers, strict=True)]
    ids = demo.writer.insert_returning_ids(ServiceRequest, rows)
    repeats = []
    for request, request_id in zip(requests, ids, strict=True):
        if request.order is not None:
            request.order.service_request_id = request_id
        repeats += [_repeat_row(demo, request, request_id) for _ in range(request.report_count - 1)]
    demo.writer.insert(RepeatReport, repeats)


def _fresh_requests(demo: Demo, customers: list[CustomerRec]) -> list[Request]:
    """Ten new requests (three scanned stickers, three from the portal, four calls) and one
    dismissed call, and the portal household's open request: a busy morning's queue, and at
    scale 2 more than the queue's first page of 20, so a benchmark comparing scales compares
    the same full page (bench/README.md, "Sixth pass")."""
    commercial = [
        unit for c in customers if c.kind == CustomerKind.COMMERCIAL for unit in _units(c)
    ]
    with_portal = [unit for c in customers if c.portal_logins for unit in _units(c)]
    everyone = [unit for c in customers for unit in _units(c)]
    picks = [
        *((RequestSource.QR, demo.pick(commercial)) for _ in range(3)),
        *((RequestSource.PORTAL, demo.pick(with_portal)) for _ in range(3)),
        *((RequestSource.PHONE, demo.pick(everyone)) for _ in range(5)),
    ]
    requests = []
    for source, unit in picks:
        symptom = demo.pick(REPAIRS[unit.kind]).summary.split(":")[0]
        description = f"{unit.name}: {symptom.lower()}. Can someone come take a look?"
        created = demo.now - timedelta(minutes=demo.rng.randint(20, 36 * 60))
        request = _request(demo, unit, description, created, source)
        if source != RequestSource.QR:
            first = demo.today + timedelta(days=demo.rng.randint(1, 4))
            request.preferred_dates = (first,)
            if source == RequestSource.PORTAL:  # the portal asks for up to three days
                second = next_weekday(first + timedelta(days=1))
                request.preferred_dates += (second, next_weekday(second + timedelta(days=2)))
            request.preferred_window = demo.pick(list(TimeWindow))
        requests.append(request)
    requests[0].report_count = 2  # a second person scanned the same sticker
    dismissed = requests[-1]
    dismissed.status, dismissed.dismissed_reason = RequestStatus.DISMISSED, demo.pick(DISMISSALS)
    dismissed.closed_at = demo.moment_between(dismissed.created_at, demo.now)
    household = portal_household(customers)
    if household is not None:
        requests.append(_household_request(demo, household))
    return requests


def _household_request(demo: Demo, household: CustomerRec) -> Request:
    """The household's open request from the portal: the second property's last unit, three
    preferred days, mornings."""
    unit = household.sites[1].units[-1]
    symptom = REPAIRS[unit.kind][0].summary.split(":")[0].lower()
    request = _request(
        demo,
        unit,
        f"{unit.name}: {symptom}. We would like it looked at before our next stay.",
        demo.now - timedelta(hours=5),
        RequestSource.PORTAL,
    )
    first = next_weekday(demo.today + timedelta(days=2))
    second = next_weekday(first + timedelta(days=1))
    request.preferred_dates = (first, second, next_weekday(second + timedelta(days=2)))
    request.preferred_window = TimeWindow.MORNING
    return request


def _request(
    demo: Demo,
    unit: UnitRec,
    description: str,
    created: datetime,
    source: RequestSource | None = None,
) -> Request:
    """A request about `unit`; the source follows from the customer when not given."""
    customer = unit.customer
    if source is None:
        if customer.kind == CustomerKind.COMMERCIAL and demo.chance(0.6):
            source = RequestSource.QR
        elif customer.portal_logins and demo.chance(0.6):
            source = RequestSource.PORTAL
        else:
            source = RequestSource.PHONE
    login = demo.pick(customer.portal_logins) if source == RequestSource.PORTAL else None
    if login is not None:
        contact = login.name
    elif source == RequestSource.QR:
        contact = demo.pick(ON_SITE_CALLERS)
    else:
        contact = customer.contact
    return Request(source, customer, unit, contact, description, created, portal_login=login)


def _repeat_row(demo: Demo, request: Request, request_id: int) -> dict:
    """Someone else scanning the same sticker a little later."""
    return {
        "request_id": request_id,
        "source": RequestSource.QR,
        "contact_name": demo.pick(ON_SITE_CALLERS),
        "contact_phone": "",
        "contact_email": "",
        "description": f"Same problem: {request.description}",
        **dict.fromkeys(PREFERRED_DATE_COLUMNS),
        "preferred_window": TimeWindow.ANY,
        "created_at": demo.moment_between(request.created_at, demo.now),
    }


def _three(days: tuple[date, ...]) -> tuple[date | None, ...]:
    return (*days, None, None, None)[:3]


def _units(customer: CustomerRec) -> list[UnitRec]:
    return [unit for site in customer.sites for unit in site.units]


def _row(request: Request, number: str) -> dict:
    customer, login = request.customer, request.portal_login
    return {
        "number": number,
        "source": request.source,
        "status": request.status,
        "customer_id": customer.id,
        "property_id": request.unit.site.id,
        "unit_id": request.unit.id,
        "portal_user_id": login.id if login else None,
        "contact_name": request.contact_name,
        "contact_phone": customer.phone,
        "contact_email": login.email if login else "",
        "description": request.description,
        **dict(zip(PREFERRED_DATE_COLUMNS, _three(request.preferred_dates), strict=True)),
        "preferred_window": request.preferred_window,
        "report_count": request.report_count,
        "dismissed_reason": request.dismissed_reason,
        "closed_at": request.closed_at,
        "created_at": request.created_at,
    }
