"""The fixed vocabularies records use. Values are stored as strings."""

from enum import StrEnum


class CustomerKind(StrEnum):
    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"


class StaffRole(StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"
    MANAGER = "manager"


class StickerUnitText(StrEnum):
    """Whether sticker labels carry the unit's name and location (a unit name may be private)."""

    ALWAYS = "always"
    COMMERCIAL_ONLY = "commercial_only"
    NEVER = "never"


class UnitKind(StrEnum):
    FURNACE = "furnace"
    AIR_CONDITIONER = "air_conditioner"
    HEAT_PUMP = "heat_pump"
    MINI_SPLIT = "mini_split"
    BOILER = "boiler"
    ROOFTOP_UNIT = "rooftop_unit"
    CHILLER = "chiller"
    WALK_IN_COOLER = "walk_in_cooler"
    WALK_IN_FREEZER = "walk_in_freezer"
    REACH_IN_REFRIGERATOR = "reach_in_refrigerator"
    ICE_MACHINE = "ice_machine"
    WATER_HEATER = "water_heater"
    AIR_HANDLER = "air_handler"
    OTHER = "other"


class ChargeMethod(StrEnum):
    """How a unit's full charge was determined (40 CFR 82.152 / 84.102)."""

    MANUFACTURER = "manufacturer"
    CALCULATION = "calculation"
    MEASUREMENT = "measurement"
    RANGE_MIDPOINT = "range_midpoint"


class ApplianceType(StrEnum):
    """EPA appliance category, which sets the leak-rate threshold."""

    COMFORT_COOLING = "comfort_cooling"
    COMMERCIAL_REFRIGERATION = "commercial_refrigeration"
    INDUSTRIAL_PROCESS = "industrial_process_refrigeration"
    REFRIGERATED_TRANSPORT = "refrigerated_transport"
    OTHER = "other"


class WorkOrderStatus(StrEnum):
    NEW = "new"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    EMERGENCY = "emergency"


class LineKind(StrEnum):
    LABOR = "labor"
    PART = "part"
    EQUIPMENT = "equipment"
    FEE = "fee"
    DISCOUNT = "discount"


class PhotoStage(StrEnum):
    """When a work-order photo was taken: before the work or after it."""

    BEFORE = "before"
    AFTER = "after"


class RequestSource(StrEnum):
    QR = "qr"
    PORTAL = "portal"
    PHONE = "phone"


class RequestStatus(StrEnum):
    NEW = "new"
    CONVERTED = "converted"
    DISMISSED = "dismissed"


class TimeWindow(StrEnum):
    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


class SignatureMethod(StrEnum):
    """How an approved quote was signed: drawn on the screen, or the typed full name alone."""

    DRAWN = "drawn"
    TYPED = "typed"


class SignOffMethod(StrEnum):
    """How a work order was signed off on site: the customer drew their signature, typed their
    name, or was not there (the technician gives the reason)."""

    DRAWN = "drawn"
    TYPED = "typed"
    NOT_PRESENT = "not_present"


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"


class PaymentMethod(StrEnum):
    CARD = "card"
    CHECK = "check"
    CASH = "cash"
    ACH = "ach"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"


class MessageDirection(StrEnum):
    FROM_CUSTOMER = "from_customer"
    FROM_OFFICE = "from_office"


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    RECEIPT = "receipt"
    QUOTE = "quote"
    WORK_ORDER = "work_order"
    WARRANTY = "warranty"
    MANUAL = "manual"
    PERMIT = "permit"
    COMPLIANCE_REPORT = "compliance_report"
    PHOTO = "photo"
    OTHER = "other"


class RefrigerantEventKind(StrEnum):
    INITIAL_CHARGE = "initial_charge"  # charging a new appliance: never a leak
    ADDITION = "addition"
    RECOVERY = "recovery"
    LEAK_INSPECTION = "leak_inspection"
    REPAIR = "repair"
    INITIAL_VERIFICATION = "initial_verification"
    FOLLOWUP_VERIFICATION = "followup_verification"
    RETROFIT = "retrofit"
    RETIREMENT = "retirement"
    MOTHBALL = "mothball"


class AdditionExemption(StrEnum):
    """Why an addition does not count toward the leak rate (40 CFR 82.152 / 84.102)."""

    SEASONAL_VARIANCE = "seasonal_variance"
    AFTER_RETROFIT = "after_retrofit"
    PURGED_DESTROYED = "purged_destroyed"


class LeakRateMethod(StrEnum):
    """The one calculation method a facility uses for all its appliances."""

    ANNUALIZING = "annualizing"
    ROLLING_AVERAGE = "rolling_average"


class EpisodeStatus(StrEnum):
    OPEN = "open"  # leak rate exceeded, repair and initial verification due
    REPAIRED = "repaired"  # initial verification passed, follow-up due
    CLOSED = "closed"  # follow-up verification passed
    RETROFIT_OR_RETIRE = "retrofit_or_retire"


class ObligationKind(StrEnum):
    REPAIR = "repair"
    INITIAL_VERIFICATION = "initial_verification"
    FOLLOWUP_VERIFICATION = "followup_verification"
    RETROFIT_PLAN = "retrofit_plan"
    RETROFIT_COMPLETION = "retrofit_completion"  # the retrofit or retirement itself
    LEAK_INSPECTION = "leak_inspection"
    CHRONIC_LEAK_REPORT = "chronic_leak_report"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class ActorKind(StrEnum):
    STAFF = "staff"
    PORTAL = "portal"
    PUBLIC = "public"
    SYSTEM = "system"


class LinkPurpose(StrEnum):
    INVITE = "invite"
    LOGIN = "login"


class TwoFactorPolicy(StrEnum):
    """Which staff must use an authenticator app to sign in."""

    NOBODY = "nobody"
    ADMINS_AND_MANAGERS = "admins_and_managers"
    EVERYONE = "everyone"


class VisitStatus(StrEnum):
    """Where a visit stands: scheduled → confirmed → en_route → on_site → done, or it ends as
    cancelled or no_access (nobody let the technician in). A visit booked from a sticker starts
    tentative: it holds its slot until the office confirms it (or it is released)."""

    TENTATIVE = "tentative"
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_ACCESS = "no_access"


class VisitAnswer(StrEnum):
    """What a customer answered from a visit e-mail's links."""

    CONFIRM = "confirm"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
