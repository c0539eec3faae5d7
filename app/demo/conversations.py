"""Message threads between the office and customers who use the portal."""

from dataclasses import dataclass
from datetime import timedelta

from app.demo.context import Demo
from app.demo.sites import CustomerRec
from app.demo.visits import Order
from app.models import Message
from app.models.enums import ApplianceType, CustomerKind, MessageDirection, WorkOrderStatus

REFRIGERATION = ApplianceType.COMMERCIAL_REFRIGERATION

CUSTOMER, OFFICE = MessageDirection.FROM_CUSTOMER, MessageDirection.FROM_OFFICE


@dataclass(frozen=True)
class Thread:
    """A conversation about one finished work order's unit.

    Placeholders: {first} the customer's first name, {unit}, {number} and {tech} (first name).
    """

    messages: tuple[tuple[MessageDirection, str], ...]
    links_order: bool = True  # the messages point at the work order
    for_kind: CustomerKind | None = None  # only for this kind of customer
    refrigerated: bool = False  # only about refrigeration equipment


THREADS = (
    Thread((
        (CUSTOMER, "Hi, could you move {number} to the afternoon? Nobody is home until 1."),
        (OFFICE, "No problem, {first}. {number} is now in the 1 to 3 pm window."),
        (CUSTOMER, "Perfect, thank you!"),
    )),
    Thread((
        (CUSTOMER, "Question about the invoice for {number}: why is there a diagnostic fee "
                   "when you did the repair anyway?"),
        (OFFICE, "The service call covers the trip and the testing, so it stays on every "
                 "visit. We did apply your maintenance-plan rate to the labor."),
    )),
    Thread((
        (CUSTOMER, "The {unit} is rattling again since {tech} was here."),
        (OFFICE, "Sorry to hear that. Is it still running? We can send {tech} tomorrow morning."),
        (CUSTOMER, "Yes, it runs, it's just loud. Tomorrow morning works."),
        (OFFICE, "Booked. {tech} will call about 30 minutes before arriving."),
    )),
    Thread((
        (CUSTOMER, "{tech} was great today, very thorough and explained everything. Thanks!"),
        (OFFICE, "Thanks for letting us know, {first}. We'll pass it along!"),
    )),
    Thread((
        (OFFICE, "Hi {first}, just following up on the replacement quote for the {unit}. Happy "
                 "to answer any questions about the equipment or financing."),
        (CUSTOMER, "Thanks, we're still comparing. What's the lead time if we go ahead?"),
        (OFFICE, "About a week from approval, and the install itself takes one day."),
    ), links_order=False),
    Thread((
        (CUSTOMER, "What size filter does the {unit} take?"),
        (OFFICE, "A 16x25x1 pleated filter; MERV 8 to 11 is best. We can also bring a few "
                 "to your next maintenance visit."),
        (CUSTOMER, "Please do, thanks."),
    ), links_order=False, for_kind=CustomerKind.RESIDENTIAL),
    Thread((
        (CUSTOMER, "The temperature alarm on the {unit} went off overnight but the box is back "
                   "to temperature. Should someone check it?"),
        (OFFICE, "Yes, we'd like to look at it. {tech} will come by tomorrow; call us right "
                 "away if it alarms again."),
    ), for_kind=CustomerKind.COMMERCIAL, refrigerated=True),
)  # fmt: skip


def write_messages(
    demo: Demo, customers: list[CustomerRec], orders: list[Order], office_author_id: int
) -> None:
    """One or two threads for most customers with portal logins, some of them still unread."""
    finished: dict[int, list[Order]] = {}
    for order in orders:
        if order.status == WorkOrderStatus.COMPLETED and order.unit and order.tech:
            finished.setdefault(order.customer.id, []).append(order)
    rows: list[dict] = []
    for customer in customers:
        if not customer.portal_logins or not demo.chance(0.85):
            continue
        chosen = demo.rng.sample(THREADS, 2)[: demo.rng.randint(1, 2)]
        for number, thread in enumerate(chosen):
            fitting = [o for o in finished.get(customer.id, []) if _fits(thread, o)]
            if fitting:
                latest = number == len(chosen) - 1
                rows += _thread(demo, thread, demo.pick(fitting), office_author_id, latest)
    demo.writer.insert(Message, rows)


def _fits(thread: Thread, order: Order) -> bool:
    refrigerated = bool(order.unit) and order.unit.spec.appliance == REFRIGERATION
    kind_fits = thread.for_kind in (None, order.customer.kind)
    return kind_fits and (refrigerated or not thread.refrigerated)


def _thread(
    demo: Demo, thread: Thread, order: Order, office_author_id: int, latest: bool
) -> list[dict]:
    """The rows of one thread; the customer's last word in the latest thread may be unread."""
    customer = order.customer
    author = demo.pick(customer.portal_logins)
    facts = {
        "first": author.name.split()[0],
        "unit": order.unit.in_sentence if order.unit else "",
        "number": order.number,
        "tech": order.tech.name.split()[0] if order.tech else "",
    }
    days_back = demo.rng.randint(1, 20) if latest else demo.rng.randint(21, 300)
    when = demo.now - timedelta(days=days_back, minutes=demo.rng.randint(0, 600))
    rows = []
    for position, (direction, text) in enumerate(thread.messages):
        last = position == len(thread.messages) - 1
        unread = latest and last and direction == CUSTOMER and demo.chance(0.5)
        read_delay = timedelta(minutes=demo.rng.randint(5, 240))
        rows.append(
            {
                "customer_id": customer.id,
                "work_order_id": order.id if thread.links_order else None,
                "direction": direction,
                "staff_author_id": office_author_id if direction == OFFICE else None,
                "portal_author_id": author.id if direction == CUSTOMER else None,
                "body": text.format(**facts),
                "read_at": None if unread else min(when + read_delay, demo.now),
                "created_at": when,
            }
        )
        when = min(when + timedelta(minutes=demo.rng.randint(20, 360)), demo.now)
    return rows
