"""Every record of TuffOps, importable from one place."""

from app.models.billing import Invoice, InvoiceLine, Payment, Quote, QuoteLine
from app.models.card_payments import CheckoutSession, StripeEvent
from app.models.company import CompanySettings
from app.models.compliance import (
    ChargeRevision,
    ComplianceObligation,
    RefrigerantEvent,
    RepairEpisode,
)
from app.models.customers import Customer, Property
from app.models.equipment import Unit
from app.models.messaging import Document, Message
from app.models.notification_preferences import AppointmentEmailOptOut
from app.models.numbering import NumberSequence
from app.models.outbox import OutboxAttachment, OutboxMessage
from app.models.people import PortalUser, StaffUser
from app.models.portal_access import PortalLink
from app.models.price_book import PriceBookItem
from app.models.scheduling import TimeOff, Visit, VisitStatusChange, WorkingHours
from app.models.sign_ins import LoginThrottle, RecoveryCode, SignIn
from app.models.sign_offs import WorkOrderSignOff
from app.models.stickers import BlankSticker
from app.models.system import AuditEvent, Job
from app.models.visit_answers import VisitAnswerLink
from app.models.visit_reminders import VisitReminder
from app.models.work import (
    JobPageSend,
    RepeatReport,
    ServiceRequest,
    ServiceRequestPhoto,
    WorkOrder,
    WorkOrderLine,
    WorkOrderNote,
    WorkOrderPhoto,
)

__all__ = [
    "AppointmentEmailOptOut",
    "AuditEvent",
    "BlankSticker",
    "ChargeRevision",
    "CheckoutSession",
    "CompanySettings",
    "ComplianceObligation",
    "Customer",
    "Document",
    "Invoice",
    "InvoiceLine",
    "Job",
    "JobPageSend",
    "LoginThrottle",
    "Message",
    "NumberSequence",
    "OutboxAttachment",
    "OutboxMessage",
    "Payment",
    "PortalLink",
    "PortalUser",
    "PriceBookItem",
    "Property",
    "Quote",
    "RecoveryCode",
    "QuoteLine",
    "RefrigerantEvent",
    "RepairEpisode",
    "RepeatReport",
    "ServiceRequest",
    "ServiceRequestPhoto",
    "SignIn",
    "StaffUser",
    "StripeEvent",
    "TimeOff",
    "Unit",
    "Visit",
    "VisitAnswerLink",
    "VisitReminder",
    "VisitStatusChange",
    "WorkOrder",
    "WorkOrderLine",
    "WorkOrderNote",
    "WorkOrderPhoto",
    "WorkOrderSignOff",
    "WorkingHours",
]
