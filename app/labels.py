"""What every stored vocabulary is called for people, and the colour its chip wears.

One translated, lazy label per enum member (and per computed state: warranty, next service),
so a value reads the same in the back office, the portal, e-mails and PDFs, in English or
Spanish. `label()` and `badge()` are also Jinja filters; admin list columns use them too.
"""

from enum import Enum

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.models.card_payments import CheckoutStatus, StripeEventStatus
from app.models.enums import (
    ActorKind,
    AdditionExemption,
    ApplianceType,
    ChargeMethod,
    CustomerKind,
    DocumentKind,
    EpisodeStatus,
    InvoiceStatus,
    JobStatus,
    LeakRateMethod,
    LineKind,
    LinkPurpose,
    MessageDirection,
    ObligationKind,
    PaymentMethod,
    PaymentStatus,
    PhotoStage,
    Priority,
    QuoteStatus,
    RefrigerantEventKind,
    RequestSource,
    RequestStatus,
    SignatureMethod,
    SignOffMethod,
    StaffRole,
    StickerUnitText,
    TimeWindow,
    TwoFactorPolicy,
    UnitKind,
    VisitAnswer,
    VisitStatus,
    WorkOrderStatus,
)
from app.models.outbox import OutboxStatus

LABELS: dict[type[Enum], dict] = {
    CustomerKind: {
        CustomerKind.RESIDENTIAL: _l("Residential"),
        CustomerKind.COMMERCIAL: _l("Commercial"),
    },
    StaffRole: {
        StaffRole.ADMIN: _l("Administrator"),
        StaffRole.DISPATCHER: _l("Dispatcher"),
        StaffRole.TECHNICIAN: _l("Technician"),
        StaffRole.MANAGER: _l("Manager"),
    },
    StickerUnitText: {
        StickerUnitText.ALWAYS: _l("Always"),
        StickerUnitText.COMMERCIAL_ONLY: _l("Only at commercial sites"),
        StickerUnitText.NEVER: _l("Never"),
    },
    UnitKind: {
        UnitKind.FURNACE: _l("Furnace"),
        UnitKind.AIR_CONDITIONER: _l("Air conditioner"),
        UnitKind.HEAT_PUMP: _l("Heat pump"),
        UnitKind.MINI_SPLIT: _l("Mini-split"),
        UnitKind.BOILER: _l("Boiler"),
        UnitKind.ROOFTOP_UNIT: _l("Rooftop unit"),
        UnitKind.CHILLER: _l("Chiller"),
        UnitKind.WALK_IN_COOLER: _l("Walk-in cooler"),
        UnitKind.WALK_IN_FREEZER: _l("Walk-in freezer"),
        UnitKind.REACH_IN_REFRIGERATOR: _l("Reach-in refrigerator"),
        UnitKind.ICE_MACHINE: _l("Ice machine"),
        UnitKind.WATER_HEATER: _l("Water heater"),
        UnitKind.AIR_HANDLER: _l("Air handler"),
        UnitKind.OTHER: _l("Other equipment"),
    },
    ChargeMethod: {
        ChargeMethod.MANUFACTURER: _l("Manufacturer's nameplate"),
        ChargeMethod.CALCULATION: _l("Calculated"),
        ChargeMethod.MEASUREMENT: _l("Measured"),
        ChargeMethod.RANGE_MIDPOINT: _l("Midpoint of a range"),
    },
    ApplianceType: {
        ApplianceType.COMFORT_COOLING: _l("Comfort cooling"),
        ApplianceType.COMMERCIAL_REFRIGERATION: _l("Commercial refrigeration"),
        ApplianceType.INDUSTRIAL_PROCESS: _l("Industrial process refrigeration"),
        ApplianceType.REFRIGERATED_TRANSPORT: _l("Refrigerated transport"),
        ApplianceType.OTHER: _l("Other appliance"),
    },
    WorkOrderStatus: {
        WorkOrderStatus.NEW: _l("Received"),
        WorkOrderStatus.SCHEDULED: _l("Scheduled"),
        WorkOrderStatus.IN_PROGRESS: _l("In progress"),
        WorkOrderStatus.ON_HOLD: _l("On hold"),
        WorkOrderStatus.COMPLETED: _l("Completed"),
        WorkOrderStatus.CANCELLED: _l("Cancelled"),
    },
    Priority: {
        Priority.LOW: _l("Low"),
        Priority.NORMAL: _l("Normal"),
        Priority.HIGH: _l("High"),
        Priority.EMERGENCY: _l("Emergency"),
    },
    LineKind: {
        LineKind.LABOR: _l("Labor"),
        LineKind.PART: _l("Part"),
        LineKind.EQUIPMENT: _l("Equipment"),
        LineKind.FEE: _l("Fee"),
        LineKind.DISCOUNT: _l("Discount"),
    },
    PhotoStage: {
        PhotoStage.BEFORE: _l("Before"),
        PhotoStage.AFTER: _l("After"),
    },
    RequestSource: {
        RequestSource.QR: _l("QR sticker"),
        RequestSource.PORTAL: _l("Portal"),
        RequestSource.PHONE: _l("Phone"),
    },
    RequestStatus: {
        RequestStatus.NEW: _l("New"),
        RequestStatus.CONVERTED: _l("Converted"),
        RequestStatus.DISMISSED: _l("Dismissed"),
    },
    TimeWindow: {
        TimeWindow.ANY: _l("Any time"),
        TimeWindow.MORNING: _l("Morning"),
        TimeWindow.AFTERNOON: _l("Afternoon"),
        TimeWindow.EVENING: _l("Evening"),
    },
    QuoteStatus: {
        QuoteStatus.DRAFT: _l("Draft"),
        QuoteStatus.SENT: _l("Sent"),
        QuoteStatus.APPROVED: _l("Approved"),
        QuoteStatus.DECLINED: _l("Declined"),
        QuoteStatus.EXPIRED: _l("Expired"),
    },
    SignatureMethod: {
        SignatureMethod.DRAWN: _l("Drawn signature"),
        SignatureMethod.TYPED: _l("Typed name"),
    },
    SignOffMethod: {
        SignOffMethod.DRAWN: _l("Drawn signature"),
        SignOffMethod.TYPED: _l("Typed name"),
        SignOffMethod.NOT_PRESENT: _l("Customer not present"),
    },
    InvoiceStatus: {
        InvoiceStatus.DRAFT: _l("Draft"),
        InvoiceStatus.OPEN: _l("Open"),
        InvoiceStatus.PAID: _l("Paid"),
        InvoiceStatus.VOID: _l("Void"),
    },
    PaymentMethod: {
        PaymentMethod.CARD: _l("Card"),
        PaymentMethod.CHECK: _l("Check"),
        PaymentMethod.CASH: _l("Cash"),
        PaymentMethod.ACH: _l("Bank transfer"),
    },
    PaymentStatus: {
        PaymentStatus.PENDING: _l("Pending"),
        PaymentStatus.SUCCEEDED: _l("Succeeded"),
        PaymentStatus.FAILED: _l("Failed"),
        PaymentStatus.REFUNDED: _l("Refunded"),
    },
    MessageDirection: {
        MessageDirection.FROM_CUSTOMER: _l("From the customer"),
        MessageDirection.FROM_OFFICE: _l("From the office"),
    },
    DocumentKind: {
        DocumentKind.INVOICE: _l("Invoice"),
        DocumentKind.RECEIPT: _l("Receipt"),
        DocumentKind.QUOTE: _l("Quote"),
        DocumentKind.WORK_ORDER: _l("Work order"),
        DocumentKind.WARRANTY: _l("Warranty"),
        DocumentKind.MANUAL: _l("Manual"),
        DocumentKind.PERMIT: _l("Permit"),
        DocumentKind.COMPLIANCE_REPORT: _l("Compliance report"),
        DocumentKind.PHOTO: _l("Photo"),
        DocumentKind.OTHER: _l("Other"),
    },
    RefrigerantEventKind: {
        RefrigerantEventKind.INITIAL_CHARGE: _l("Initial charge"),
        RefrigerantEventKind.ADDITION: _l("Refrigerant added"),
        RefrigerantEventKind.RECOVERY: _l("Refrigerant recovered"),
        RefrigerantEventKind.LEAK_INSPECTION: _l("Leak inspection"),
        RefrigerantEventKind.REPAIR: _l("Leak repair"),
        RefrigerantEventKind.INITIAL_VERIFICATION: _l("Initial verification test"),
        RefrigerantEventKind.FOLLOWUP_VERIFICATION: _l("Follow-up verification test"),
        RefrigerantEventKind.RETROFIT: _l("Retrofit"),
        RefrigerantEventKind.RETIREMENT: _l("Retirement"),
        RefrigerantEventKind.MOTHBALL: _l("Mothballed"),
    },
    AdditionExemption: {
        AdditionExemption.SEASONAL_VARIANCE: _l("Seasonal variance"),
        AdditionExemption.AFTER_RETROFIT: _l("After a retrofit"),
        AdditionExemption.PURGED_DESTROYED: _l("Purged and destroyed"),
    },
    LeakRateMethod: {
        LeakRateMethod.ANNUALIZING: _l("Annualizing"),
        LeakRateMethod.ROLLING_AVERAGE: _l("Rolling average"),
    },
    EpisodeStatus: {
        EpisodeStatus.OPEN: _l("Repair due"),
        EpisodeStatus.REPAIRED: _l("Repaired, follow-up due"),
        EpisodeStatus.CLOSED: _l("Closed"),
        EpisodeStatus.RETROFIT_OR_RETIRE: _l("Retrofit or retire"),
    },
    VisitStatus: {
        VisitStatus.TENTATIVE: _l("Tentative"),
        VisitStatus.SCHEDULED: _l("Scheduled"),
        VisitStatus.CONFIRMED: _l("Confirmed"),
        VisitStatus.EN_ROUTE: _l("On the way"),
        VisitStatus.ON_SITE: _l("On site"),
        VisitStatus.DONE: _l("Done"),
        VisitStatus.CANCELLED: _l("Cancelled"),
        VisitStatus.NO_ACCESS: _l("No access"),
    },
    VisitAnswer: {
        VisitAnswer.CONFIRM: _l("Confirmed"),
        VisitAnswer.RESCHEDULE: _l("Rescheduled"),
        VisitAnswer.CANCEL: _l("Cancelled"),
    },
    ObligationKind: {
        ObligationKind.REPAIR: _l("Leak repair"),
        ObligationKind.INITIAL_VERIFICATION: _l("Initial verification test"),
        ObligationKind.FOLLOWUP_VERIFICATION: _l("Follow-up verification test"),
        ObligationKind.RETROFIT_PLAN: _l("Retrofit plan"),
        ObligationKind.RETROFIT_COMPLETION: _l("Retrofit or retirement"),
        ObligationKind.LEAK_INSPECTION: _l("Leak inspection"),
        ObligationKind.CHRONIC_LEAK_REPORT: _l("Chronic leak report"),
    },
    JobStatus: {
        JobStatus.QUEUED: _l("Queued"),
        JobStatus.RUNNING: _l("Running"),
        JobStatus.FINISHED: _l("Finished"),
        JobStatus.FAILED: _l("Failed"),
    },
    ActorKind: {
        ActorKind.STAFF: _l("Staff"),
        ActorKind.PORTAL: _l("Portal user"),
        ActorKind.PUBLIC: _l("Public"),
        ActorKind.SYSTEM: _l("System"),
    },
    LinkPurpose: {LinkPurpose.INVITE: _l("Invitation"), LinkPurpose.LOGIN: _l("Sign-in link")},
    TwoFactorPolicy: {
        TwoFactorPolicy.NOBODY: _l("Nobody"),
        TwoFactorPolicy.ADMINS_AND_MANAGERS: _l("Admins and managers"),
        TwoFactorPolicy.EVERYONE: _l("Everyone"),
    },
    CheckoutStatus: {
        CheckoutStatus.OPEN: _l("Open"),
        CheckoutStatus.COMPLETE: _l("Complete"),
        CheckoutStatus.EXPIRED: _l("Expired"),
        CheckoutStatus.FAILED: _l("Failed"),
    },
    StripeEventStatus: {
        StripeEventStatus.APPLIED: _l("Applied"),
        StripeEventStatus.IGNORED: _l("Ignored"),
        StripeEventStatus.WAITING: _l("Waiting"),
        StripeEventStatus.NEEDS_ATTENTION: _l("Needs attention"),
        StripeEventStatus.RESOLVED: _l("Resolved"),
    },
    OutboxStatus: {
        OutboxStatus.PENDING: _l("Pending"),
        OutboxStatus.SENT: _l("Sent"),
        OutboxStatus.FAILED: _l("Failed"),
    },
}

# Where the customer reads a value differently from the office.
CUSTOMER_LABELS: dict[type[Enum], dict] = {
    QuoteStatus: {QuoteStatus.SENT: _l("Waiting for your decision")},
}

# States computed from dates, not stored: a unit's warranty and its next service.
STATE_LABELS = {
    "active": _l("Active"),
    "expiring": _l("Expiring soon"),
    "expired": _l("Expired"),
    "none": _l("None"),
    "overdue": _l("Overdue"),
    "due_soon": _l("Due soon"),
    "ok": _l("On schedule"),
    "no_interval": _l("No interval set"),
}

# The tone of a chip: good (done, paid), warn (needs someone soon), bad (late, failed),
# info (new, in motion), muted (closed without effect); anything else is neutral. Keyed by
# class first: members of a StrEnum equal their value, so `InvoiceStatus.OPEN` and
# `EpisodeStatus.OPEN` would be one key in a flat dict.
W, P, R, Q = WorkOrderStatus, Priority, RequestStatus, QuoteStatus
TONES: dict[type[Enum], dict] = {
    VisitStatus: {
        VisitStatus.TENTATIVE: "warn",
        VisitStatus.SCHEDULED: "info",
        VisitStatus.CONFIRMED: "good",
        VisitStatus.EN_ROUTE: "warn",
        VisitStatus.ON_SITE: "warn",
        VisitStatus.DONE: "good",
        VisitStatus.CANCELLED: "muted",
        VisitStatus.NO_ACCESS: "bad",
    },
    VisitAnswer: {
        VisitAnswer.CONFIRM: "good",
        VisitAnswer.RESCHEDULE: "info",
        VisitAnswer.CANCEL: "bad",
    },
    W: {
        W.NEW: "info",
        W.SCHEDULED: "info",
        W.IN_PROGRESS: "warn",
        W.ON_HOLD: "muted",
        W.COMPLETED: "good",
        W.CANCELLED: "muted",
    },
    P: {P.HIGH: "warn", P.EMERGENCY: "bad"},
    R: {R.NEW: "info", R.CONVERTED: "good", R.DISMISSED: "muted"},
    Q: {Q.SENT: "info", Q.APPROVED: "good", Q.DECLINED: "muted", Q.EXPIRED: "muted"},
    InvoiceStatus: {
        InvoiceStatus.OPEN: "warn",
        InvoiceStatus.PAID: "good",
        InvoiceStatus.VOID: "muted",
    },
    PaymentStatus: {
        PaymentStatus.PENDING: "info",
        PaymentStatus.SUCCEEDED: "good",
        PaymentStatus.FAILED: "bad",
        PaymentStatus.REFUNDED: "muted",
    },
    EpisodeStatus: {
        EpisodeStatus.OPEN: "bad",
        EpisodeStatus.REPAIRED: "warn",
        EpisodeStatus.CLOSED: "good",
        EpisodeStatus.RETROFIT_OR_RETIRE: "bad",
    },
    JobStatus: {
        JobStatus.QUEUED: "info",
        JobStatus.RUNNING: "info",
        JobStatus.FINISHED: "good",
        JobStatus.FAILED: "bad",
    },
    CheckoutStatus: {
        CheckoutStatus.OPEN: "info",
        CheckoutStatus.COMPLETE: "good",
        CheckoutStatus.EXPIRED: "muted",
        CheckoutStatus.FAILED: "bad",
    },
    StripeEventStatus: {
        StripeEventStatus.APPLIED: "good",
        StripeEventStatus.WAITING: "info",
        StripeEventStatus.NEEDS_ATTENTION: "bad",
        StripeEventStatus.RESOLVED: "muted",
    },
    OutboxStatus: {
        OutboxStatus.PENDING: "info",
        OutboxStatus.SENT: "good",
        OutboxStatus.FAILED: "bad",
    },
}
STATE_TONES = {
    "active": "good",
    "expiring": "warn",
    "expired": "muted",
    "overdue": "bad",
    "due_soon": "warn",
    "ok": "good",
}


def label(value, customer: bool = False) -> str:
    """What a stored value is called, in the current language; "" for None. `customer`: as
    the portal words it for the customer."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        wording = CUSTOMER_LABELS.get(type(value), {}) if customer else {}
        words = wording.get(value) or LABELS.get(type(value), {}).get(value)
    else:
        words = STATE_LABELS.get(value)
    return (
        str(words) if words is not None else str(getattr(value, "value", value)).replace("_", " ")
    )


def words(name: str | None) -> str:
    """A machine name the code writes (an audit action, an input's key) as words:
    "leak_rate_exceeded" -> "Leak rate exceeded"."""
    return (name or "").replace("_", " ").capitalize()


def tone(value) -> str:
    """good, warn, bad, info, muted or neutral."""
    if isinstance(value, Enum):
        return TONES.get(type(value), {}).get(value, "neutral")
    return STATE_TONES.get(value, "neutral")


# Bootstrap's badge colour per tone, for the back office (the portal styles `chip-<tone>`).
BOOTSTRAP = {
    "good": "success",
    "warn": "warning",
    "bad": "danger",
    "info": "info",
    "muted": "secondary",
    "neutral": "light",
}


def badge(value, customer: bool = False) -> Markup:
    """A value as a coloured chip:
    `<span class="badge badge-success chip chip-good">Paid</span>`."""
    if value is None:
        return Markup("")
    colour = tone(value)
    return Markup('<span class="badge badge-{} chip chip-{}">{}</span>').format(
        BOOTSTRAP[colour], colour, label(value, customer)
    )


def choices(enum_class, leaving_out=()) -> list[tuple[str, object]]:
    """(value, lazy label) pairs for a select over an enum, in the enum's order (lazy, so a
    form class can hold them and each request reads its own language)."""
    words = LABELS[enum_class]
    return [(member.value, words[member]) for member in enum_class if member not in leaving_out]


def register_filters(app: Flask) -> None:
    app.add_template_filter(label)
    app.add_template_filter(badge)
