"""Invoices for finished work (paid, open, overdue, draft), their payments, and quotes."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.demo.context import Demo
from app.demo.pricebook import (
    HAUL_AWAY_FEE_CENTS,
    PERMIT_FEE_CENTS,
    Line,
    fee,
    labor,
    part,
    refrigerant,
)
from app.demo.sites import CustomerRec, SiteRec, UnitRec
from app.demo.visits import Order
from app.demo.work import line_row
from app.models import Invoice, InvoiceLine, Payment, Quote, QuoteLine
from app.models.billing import priced
from app.models.enums import (
    CustomerKind,
    InvoiceStatus,
    LineKind,
    PaymentMethod,
    PaymentStatus,
    QuoteStatus,
    WorkOrderStatus,
)

PAYMENT_TERMS_DAYS = {CustomerKind.RESIDENTIAL: 15, CustomerKind.COMMERCIAL: 30}
PAYMENT_METHODS = {
    CustomerKind.RESIDENTIAL: (
        (PaymentMethod.CARD, PaymentMethod.CHECK, PaymentMethod.CASH),
        (6, 3, 1),
    ),
    CustomerKind.COMMERCIAL: ((PaymentMethod.ACH, PaymentMethod.CHECK), (1, 1)),
}
QUOTE_VALID_DAYS = 30
QUOTE_OUTCOMES = ((QuoteStatus.APPROVED, QuoteStatus.DECLINED, QuoteStatus.EXPIRED), (9, 6, 5))
REPLACE_AFTER_YEARS = 12
DECLINE_REASONS = (
    "Going to get through one more season first.",
    "Went with a lower bid.",
    "Budget is spent for this year; ask us again in the spring.",
    "Selling the property.",
)
# Replacement equipment offered good / better / best: (name, price factor, model suffix).
EFFICIENCY_TIERS = (
    ("Good", 1.0, "standard efficiency"),
    ("Better", 1.28, "high efficiency, two-stage"),
    ("Best", 1.6, "highest efficiency, variable-speed"),
)
# Add-ons a customer may tick on a residential replacement: (description, kind, cents).
ADD_ONS = (
    ("Smart Wi-Fi thermostat, installed", LineKind.PART, 24500),
    ("10-year parts and labor protection plan", LineKind.FEE, 49500),
    ("Surge protector for the outdoor unit", LineKind.PART, 18500),
)
UPGRADES = (
    ("Smart Wi-Fi thermostat", "Smart Wi-Fi thermostat", 24500, 1.0),
    ("UV-C air purifier", "UV-C air purifier for the air handler", 68500, 1.5),
    ("Whole-house humidifier", "Bypass humidifier with digital humidistat", 54500, 3.0),
)


def totals(lines: list[Line], tax_rate_percent: Decimal) -> tuple[int, int, int]:
    """(subtotal, tax, total) in cents, the way PricedDocumentMixin.recalculate works them out."""
    worked_out = priced(lines, tax_rate_percent)
    return worked_out.subtotal_cents, worked_out.tax_cents, worked_out.total_cents


def write_invoices(demo: Demo, orders: list[Order]) -> None:
    """An invoice for each finished, chargeable order, and the payments of the paid ones."""
    billable = [o for o in orders if o.status == WorkOrderStatus.COMPLETED and o.completed_at]
    billable.sort(key=lambda order: order.completed_at or demo.now)
    planned = [(order, _invoice(demo, order)) for order in billable]
    planned = [(order, row) for order, row in planned if row["total_cents"] > 0]
    if planned:
        _leave_to_the_office(planned[-1][1])
    numbers = demo.writer.numbers(Invoice.NUMBER_PREFIX, len(planned))
    for (_, row), number in zip(planned, numbers, strict=True):
        row["number"] = number
    ids = demo.writer.insert_returning_ids(Invoice, [row for _, row in planned])
    lines, payments = [], []
    for (order, row), invoice_id in zip(planned, ids, strict=True):
        lines += [
            line_row(line, position, invoice_id=invoice_id, work_order_line_id=line_id)
            for position, (line, line_id) in enumerate(
                zip(order.lines, order.line_ids, strict=True), start=1
            )
        ]
        if row["status"] == InvoiceStatus.PAID:
            payments.append(_payment(demo, order.customer, row, invoice_id))
    demo.writer.insert(InvoiceLine, lines)
    demo.writer.insert(Payment, payments)


def _invoice(demo: Demo, order: Order) -> dict:
    finished = order.completed_at or demo.now
    subtotal, tax, total = totals(order.lines, demo.tax_rate_percent)
    issued = demo.local_day(finished)
    terms = PAYMENT_TERMS_DAYS[order.customer.kind]
    due = issued + timedelta(days=terms)
    status, paid_at = InvoiceStatus.OPEN, None
    if issued >= _working_days_before(demo.today, 2) and demo.chance(0.3):
        status, issued, due = InvoiceStatus.DRAFT, None, None
    elif demo.chance(_paid_share(demo, due)):
        status = InvoiceStatus.PAID
        latest = min(demo.at(due + timedelta(days=10), 12), demo.now)
        paid_at = finished if demo.chance(0.3) else demo.moment_between(finished, latest)
    return {
        "customer_id": order.customer.id,
        "property_id": order.site.id,
        "work_order_id": order.id,
        "status": status,
        "issued_on": issued,
        "due_on": due,
        "amount_paid_cents": total if paid_at else 0,
        "paid_at": paid_at,
        "notes": f"Payment due within {terms} days. Thank you for your business.",
        "currency": "USD",
        "subtotal_cents": subtotal,
        "tax_cents": tax,
        "total_cents": total,
        "created_at": min(finished + timedelta(minutes=15), demo.now),
    }


def _leave_to_the_office(row: dict) -> None:
    """The latest finished job's invoice is a draft, whatever the day and hour: the office's
    dashboard always has one to review and issue (chance alone left none on many hours)."""
    row.update(
        status=InvoiceStatus.DRAFT, issued_on=None, due_on=None, amount_paid_cents=0, paid_at=None
    )


def _working_days_before(day: date, count: int) -> date:
    """The day `count` working days (Monday to Friday) before `day`."""
    while count:
        day -= timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _paid_share(demo: Demo, due: date) -> float:
    """Long-past invoices are nearly all paid; recent ones much less so."""
    if due < demo.today - timedelta(days=60):
        return 0.98
    return 0.85 if due < demo.today else 0.45


def _payment(demo: Demo, customer: CustomerRec, invoice: dict, invoice_id: int) -> dict:
    methods, weights = PAYMENT_METHODS[customer.kind]
    method = demo.rng.choices(methods, weights)[0]
    card = demo.pick(("Visa", "Mastercard", "Amex"))
    reference = {
        PaymentMethod.CARD: f"{card} ending {demo.rng.randint(1000, 9999)}",
        PaymentMethod.CHECK: f"Check #{demo.rng.randint(1001, 9899)}",
        PaymentMethod.ACH: f"ACH trace {demo.rng.randint(10**8, 10**9 - 1)}",
        PaymentMethod.CASH: "Cash, paid to the technician",
    }[method]
    return {
        "invoice_id": invoice_id,
        "customer_id": customer.id,
        "amount_cents": invoice["total_cents"],
        "currency": "USD",
        "method": method,
        "status": PaymentStatus.SUCCEEDED,
        "reference": reference,
        "received_at": invoice["paid_at"],
        "created_at": invoice["paid_at"],
    }


@dataclass(slots=True, eq=False)
class QuotePlan:
    customer: CustomerRec
    site: SiteRec
    unit: UnitRec | None
    title: str
    lines: list[Line] = field(default_factory=list)  # always included
    group: str = ""  # the name of the alternatives, if any
    alternatives: list[Line] = field(default_factory=list)  # pick one; the first is preselected
    add_ons: list[Line] = field(default_factory=list)  # the customer may tick these
    prepared: datetime | None = None  # when the office sent it, or for a draft wrote it
    waiting: bool = False  # sent a few days ago and still waiting for the customer

    def offered(self) -> list[tuple[Line, bool, str]]:
        """Every line in position order, with (optional, option group)."""
        return [
            *((line, False, self.group) for line in self.alternatives),
            *((line, False, "") for line in self.lines),
            *((line, True, "") for line in self.add_ons),
        ]

    def preselected(self) -> list[Line]:
        """What the stored totals add up: the required lines and the first alternative."""
        return self.alternatives[:1] + self.lines


def write_quotes(demo: Demo, customers: list[CustomerRec], orders: list[Order]) -> None:
    """Replacement quotes for old equipment (good / better / best, with add-ons for homes),
    coil quotes after leaks, and a few upgrades. The household with two properties whose
    login `flask demo-logins` prints always has a replacement quote waiting for it."""
    plans = []
    household = _household_with_two_homes(customers)
    for customer in customers:
        for site in customer.sites:
            plans += [
                _replacement(demo, unit) for unit in site.units if _worth_replacing(demo, unit)
            ]
        if customer.kind == CustomerKind.RESIDENTIAL and demo.chance(0.25):
            plans.append(_upgrade(demo, customer))
    if household is not None:
        oldest = min(
            (unit for site in household.sites for unit in site.units),
            key=lambda unit: unit.install_date,
        )
        plans.append(_replacement(demo, oldest, waiting=True))
    for order in orders:
        unit = order.unit
        if order.leak_location and unit and order.completed_at and demo.chance(0.5):
            plans.append(_coil_after_leak(demo, order, unit))
    rows = [_quote_row(demo, plan) for plan in plans]
    order_of = sorted(range(len(rows)), key=lambda i: rows[i]["created_at"])
    plans, rows = [plans[i] for i in order_of], [rows[i] for i in order_of]
    numbers = demo.writer.numbers(Quote.NUMBER_PREFIX, len(rows))
    for row, number in zip(rows, numbers, strict=True):
        row["number"] = number
    ids = demo.writer.insert_returning_ids(Quote, rows)
    lines = [
        {**line_row(line, position, quote_id=quote_id), "optional": optional, "option_group": group}
        for plan, quote_id in zip(plans, ids, strict=True)
        for position, (line, optional, group) in enumerate(plan.offered(), start=1)
    ]
    demo.writer.insert(QuoteLine, lines)


def _household_with_two_homes(customers: list[CustomerRec]) -> CustomerRec | None:
    """The first residential customer with two properties and a portal login (the one
    app.demo.cli prints)."""
    return next(
        (
            c
            for c in customers
            if c.kind == CustomerKind.RESIDENTIAL and len(c.sites) > 1 and c.portal_logins
        ),
        None,
    )


def _worth_replacing(demo: Demo, unit: UnitRec) -> bool:
    old = (demo.today - unit.install_date).days > REPLACE_AFTER_YEARS * 365
    return old and demo.chance(0.35)


def _replacement(demo: Demo, unit: UnitRec, *, waiting: bool = False) -> QuotePlan:
    spec, kind = unit.spec, unit.customer.kind
    manufacturer, model_number = demo.pick(spec.models)
    plan = QuotePlan(unit.customer, unit.site, unit, f"Replace the {unit.in_sentence}")
    plan.waiting = waiting
    plan.group = "Equipment"
    plan.alternatives = [
        Line(
            LineKind.EQUIPMENT,
            f"{tier}: {manufacturer} {model_number} {spec.label}, {suffix}, supplied",
            Decimal(1),
            round(spec.installed_price_cents * factor / 100) * 100,
        )
        for tier, factor, suffix in EFFICIENCY_TIERS
    ]
    plan.lines = [
        labor(kind, spec.install_hours, "Installation labor"),
        fee("Mechanical permit", PERMIT_FEE_CENTS),
        fee("Haul away and recycle old equipment", HAUL_AWAY_FEE_CENTS),
    ]
    if demo.chance(0.3):
        discount = -(spec.installed_price_cents // 20)
        plan.lines.append(
            Line(LineKind.DISCOUNT, "Loyal customer discount, 5%", Decimal(1), discount)
        )
    if kind == CustomerKind.RESIDENTIAL:
        plan.add_ons = [
            Line(add_on_kind, description, Decimal(1), cents)
            for description, add_on_kind, cents in ADD_ONS
            if waiting or demo.chance(0.5)
        ]
    return plan


def _upgrade(demo: Demo, customer: CustomerRec) -> QuotePlan:
    title, material, cents, hours = demo.pick(UPGRADES)
    plan = QuotePlan(customer, customer.sites[0], None, f"Add a {title.lower()}")
    plan.lines = [part(material, cents), labor(customer.kind, hours)]
    return plan


def _coil_after_leak(demo: Demo, order: Order, unit: UnitRec) -> QuotePlan:
    plan = QuotePlan(order.customer, order.site, unit, f"Replace the leaking coil: {unit.name}")
    plan.lines = [
        part("Replacement evaporator coil", 145000),
        labor(order.customer.kind, 6.0),
        refrigerant(unit.refrigerant, unit.full_charge_lb or Decimal(0)),
        fee("Nitrogen pressure test and evacuation", 9500),
    ]
    plan.prepared = (order.completed_at or demo.now) + timedelta(days=1)
    return plan


def _quote_row(demo: Demo, plan: QuotePlan) -> dict:
    """The quote with a status that fits its age: pending while valid, then decided or expired."""
    if plan.waiting:
        plan.prepared = demo.at(demo.today - timedelta(days=3), 10)
    if plan.prepared is None:
        recent = demo.chance(0.4)
        days_back = demo.rng.randint(1, 25) if recent else demo.rng.randint(40, 540)
        plan.prepared = demo.at(demo.today - timedelta(days=days_back), demo.rng.uniform(9, 17))
    sent = min(plan.prepared, demo.now)
    valid_until = demo.local_day(sent) + timedelta(days=QUOTE_VALID_DAYS)
    status, decided, signer, reason = QuoteStatus.SENT, None, "", ""
    if valid_until >= demo.today:
        if not plan.waiting and demo.chance(0.15):
            status, sent, valid_until = QuoteStatus.DRAFT, None, None
    else:
        status = demo.rng.choices(*QUOTE_OUTCOMES)[0]
        if status != QuoteStatus.EXPIRED:
            decided = sent + timedelta(days=demo.rng.randint(1, QUOTE_VALID_DAYS - 2))
        if status == QuoteStatus.APPROVED:
            signer = plan.customer.contact
        elif status == QuoteStatus.DECLINED:
            reason = demo.pick(DECLINE_REASONS)
    subtotal, tax, total = totals(plan.preselected(), demo.tax_rate_percent)
    return {
        "customer_id": plan.customer.id,
        "property_id": plan.site.id,
        "unit_id": plan.unit.id if plan.unit else None,
        "status": status,
        "title": plan.title,
        "notes": f"Prices good for {QUOTE_VALID_DAYS} days.",
        "valid_until": valid_until,
        "sent_at": sent,
        "decided_at": decided,
        "signed_by": signer,
        "decline_reason": reason,
        "currency": "USD",
        "subtotal_cents": subtotal,
        "tax_cents": tax,
        "total_cents": total,
        "created_at": min(plan.prepared, demo.now) - timedelta(hours=2),
    }
