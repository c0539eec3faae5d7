"""The back office at /admin: Flask-Admin views over every record, checked by staff role."""

from flask import Flask
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from admin import files
from admin.dashboard import DashboardView
from admin.menu import KeptMenuAdmin
from admin.views.billing import (
    CheckoutSessionView,
    InvoiceView,
    PaymentView,
    QuoteView,
    StripeEventView,
)
from admin.views.board import BoardView
from admin.views.communication import DocumentView, MessageView
from admin.views.compliance import (
    ChargeRevisionView,
    ComplianceObligationView,
    RefrigerantEventView,
    RepairEpisodeView,
)
from admin.views.compliance_reports import ComplianceReportView
from admin.views.conversations import ConversationsView
from admin.views.dispatch import DispatchView
from admin.views.job_close_out import JobCloseOutView
from admin.views.job_findings import JobFindingsView
from admin.views.job_page import JobPageView
from admin.views.my_day import MyDayView
from admin.views.price_book import PriceBookItemView
from admin.views.records import CustomerView, PortalUserView, PropertyView, UnitView
from admin.views.schedules import TimeOffView, WorkingHoursView
from admin.views.sign_off import SignOffView
from admin.views.stickers import BlankStickerView, StickerSheetView
from admin.views.system import (
    AuditEventView,
    CompanySettingsView,
    JobView,
    OutboxView,
    StaffUserView,
)
from admin.views.work import (
    ServiceRequestView,
    WorkOrderNoteView,
    WorkOrderPhotoView,
    WorkOrderView,
)
from app import models
from app.security_headers import csp_nonce


def init_admin(app: Flask) -> KeptMenuAdmin:
    """A fresh Admin for this app, with a view for every record."""
    app.register_blueprint(files.bp)
    admin = KeptMenuAdmin(
        app,
        name="TuffOps",
        index_view=DashboardView(name=_l("Today"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/tuffops_base.html", fluid=True),
        csp_nonce_generator=csp_nonce,
    )
    admin.add_views(
        _page(DispatchView, _l("Dispatch"), "dispatch"),
        _page(BoardView, _l("Board"), "board"),
        _page(MyDayView, _l("My day"), "my_day"),
        _page(JobPageView, _l("Job page"), "job_page"),
        _page(SignOffView, _l("Customer sign-off"), "sign_off"),
        _page(JobCloseOutView, _l("Close out"), "job_close_out"),
        _page(JobFindingsView, _l("Recommend"), "job_findings"),
        _page(ConversationsView, _l("Conversations"), "conversations"),
        _page(StickerSheetView, _l("Print stickers"), "stickers", category=_l("Customers")),
    )
    admin.add_views(
        CustomerView(models.Customer, name=_l("Customers")),
        PropertyView(models.Property, name=_l("Properties")),
        UnitView(models.Unit, name=_l("Units")),
        PortalUserView(models.PortalUser, name=_l("Portal users")),
        MessageView(models.Message, name=_l("Messages")),
        DocumentView(models.Document, name=_l("Documents")),
        ServiceRequestView(models.ServiceRequest, name=_l("Service requests")),
        WorkOrderView(models.WorkOrder, name=_l("Work orders")),
        WorkOrderNoteView(models.WorkOrderNote, name=_l("Work order notes")),
        WorkOrderPhotoView(models.WorkOrderPhoto, name=_l("Work order photos")),
        WorkingHoursView(models.WorkingHours, name=_l("Working hours")),
        TimeOffView(models.TimeOff, name=_l("Time off")),
        QuoteView(models.Quote, name=_l("Quotes")),
        InvoiceView(models.Invoice, name=_l("Invoices")),
        PriceBookItemView(models.PriceBookItem, name=_l("Price book")),
        PaymentView(models.Payment, name=_l("Payments")),
        CheckoutSessionView(models.CheckoutSession, name=_l("Card checkouts")),
        StripeEventView(models.StripeEvent, name=_l("Card payment events")),
        RefrigerantEventView(models.RefrigerantEvent, name=_l("Refrigerant events")),
        ComplianceObligationView(models.ComplianceObligation, name=_l("Obligations")),
        RepairEpisodeView(models.RepairEpisode, name=_l("Repair episodes")),
        ChargeRevisionView(models.ChargeRevision, name=_l("Full-charge revisions")),
        StaffUserView(models.StaffUser, name=_l("Staff")),
        CompanySettingsView(models.CompanySettings, name=_l("Company")),
        JobView(models.Job, name=_l("Jobs")),
        AuditEventView(models.AuditEvent, name=_l("Audit log")),
        OutboxView(models.OutboxMessage, name=_l("Outbox")),
        BlankStickerView(models.BlankSticker, name=_l("Blank stickers")),
    )
    admin.add_view(
        _page(
            ComplianceReportView,
            _l("EPA compliance report"),
            "compliance_report",
            category=_l("Compliance"),
        )
    )
    return admin


def _page(view, name, endpoint: str, category=None):
    """A page of its own (not a record's list), at /admin/ + its endpoint with dashes."""
    return view(
        name=name, endpoint=endpoint, url="/admin/" + endpoint.replace("_", "-"), category=category
    )
