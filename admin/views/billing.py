"""Quotes, invoices and payments."""

import json

from flask import flash
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import inspect
from wtforms.validators import Length, ValidationError

from admin.base import StaffModelView, refusal_as_form_error, validate_links
from admin.close_out import InvoiceIssue
from admin.fields import CentsField
from admin.formatting import money
from admin.lookups import lookups
from admin.views.work import TAXABLE_ARGS, TAXABLE_LABEL, line_items, photos_column
from app.auth.roles import current_staff
from app.extensions import db
from app.models import InvoiceLine, QuoteLine
from app.models.base import utcnow
from app.models.enums import InvoiceStatus, PaymentMethod, PaymentStatus, QuoteStatus
from app.outcomes import commit_or_flash
from app.services.billing import recalculate_totals, refresh_amount_paid
from app.services.close_out import free_void_invoice_lines
from app.services.company import local_today
from app.services.quote_errors import QuoteError
from app.services.quotes import send_quote, tidy_options
from app.services.stripe_events import settle

READ_ONLY_TOTALS = ("subtotal_cents", "tax_cents", "total_cents")


class PricedDocumentView(StaffModelView):
    """Quotes and invoices: lines edited inline, totals computed on save."""

    area = "billing"
    menu_category = _l("Billing")
    form_ajax_refs = lookups("customer", "property", "unit", "work_order")

    def validate_model(self, model) -> None:
        validate_links(model)
        recalculate_totals(model)


SIGNED = (QuoteStatus.APPROVED, QuoteStatus.DECLINED)


def _saved_status(record):
    """The status the quote or invoice has in the database, before this form's changes."""
    if record.id is None:
        return None
    history = inspect(record).attrs.status.history
    return history.deleted[0] if history.deleted else record.status


def _quote_total(view, context, model, name) -> str:
    """What the quote is worth: the approved total once signed (the customer may have chosen
    other options than the preselected ones), else the total as preselected."""
    if model.status == QuoteStatus.APPROVED and model.approved_total_cents is not None:
        return money(model.approved_total_cents, model.currency)
    return money(model.total_cents, model.currency)


class QuoteView(PricedDocumentView):
    column_list = (
        "number",
        "created_at",
        "status",
        "customer",
        "title",
        "total",
        "valid_until",
    )
    column_formatters = {"total": _quote_total, "photos": photos_column}
    column_searchable_list = ("number", "title", "customer.name")
    column_filters = ("status", "valid_until", "created_at")
    column_sortable_list = ("number", "created_at", "status", "valid_until")
    form_columns = (
        "customer",
        "property",
        "unit",
        "status",
        "title",
        "notes",
        "valid_until",
        "lines",
    )
    column_labels = {
        "total": _l("Total (approved, else as preselected)"),
        "total_cents": _l("Total (options as preselected)"),
        "approved_total_cents": _l("Approved total"),
        "decided_from": _l("Decided from (address)"),
        "decided_user_agent": _l("Decided with (browser)"),
        "chosen_line_ids": _l("Lines the customer chose"),
        "content_sha256": _l("SHA-256 of the quote as shown"),
        "signed_document": _l("Signed PDF"),
        "found_on": _l("Found on the job"),
        "recommended_by": _l("Recommended by"),
    }
    column_details_list = (
        "number",
        *form_columns[:-1],
        "lines",
        *READ_ONLY_TOTALS,
        "sent_at",
        "decided_at",
        "signed_by",
        "signature_method",
        "decided_from",
        "decided_user_agent",
        "chosen_line_ids",
        "approved_subtotal_cents",
        "approved_tax_cents",
        "approved_total_cents",
        "content_sha256",
        "work_order",
        "signed_document",
        "decline_reason",
        "found_on",
        "recommended_by",
        "photos",
    )
    inline_models = (
        line_items(
            QuoteLine,
            "optional",
            "option_group",
            column_labels={"optional": _l("Add-on"), "option_group": _l("Choice group")},
            form_args={
                "optional": {"description": _l("The customer may tick it or leave it out.")},
                "option_group": {
                    "validators": [Length(max=60)],
                    "description": _l(
                        "Lines with the same group are alternatives (good, better, best): the "
                        "customer picks one, the first is preselected."
                    ),
                },
            },
        ),
    )

    def locked_reason(self, model) -> str | None:
        if _saved_status(model) not in SIGNED:
            return None
        return _(
            "%(number)s was approved or declined by the customer and is kept as "
            "signed; it can no longer be changed.",
            number=model.number,
        )

    def validate_model(self, model) -> None:
        reason = self.locked_reason(model)
        if reason:
            raise ValidationError(reason)
        with refusal_as_form_error(QuoteError):
            tidy_options(model)
        super().validate_model(model)

    def on_model_delete(self, model) -> None:
        if model.status in SIGNED:
            raise ValidationError(
                _("%(number)s was signed by the customer and is kept.", number=model.number)
            )
        super().on_model_delete(model)

    @action(
        "send",
        _l("Send to customer"),
        _l("Send the selected quotes and e-mail the customers' portal users a link?"),
    )
    def action_send(self, ids):
        for quote in self.selected(ids):
            with commit_or_flash(QuoteError):
                emailed = send_quote(quote, actor=current_staff())
                if emailed:
                    flash(
                        _("%(number)s sent to %(num)s people.", number=quote.number, num=emailed),
                        "success",
                    )
                else:
                    flash(
                        _(
                            "%(number)s is marked sent, but nobody was e-mailed: the customer "
                            "has no active portal users.",
                            number=quote.number,
                        ),
                        "warning",
                    )


def _balance(view, context, model, name) -> str:
    return money(model.balance_cents, model.currency)


def _overdue(view, context, model, name) -> str:
    return _("overdue") if model.is_overdue(local_today()) else ""


class InvoiceView(InvoiceIssue, PricedDocumentView):
    column_list = (
        "number",
        "issued_on",
        "due_on",
        "status",
        "customer",
        "total_cents",
        "amount_paid_cents",
        "balance",
        "overdue",
        "issue",
    )
    column_labels = {
        "amount_paid_cents": _l("Paid"),
        "total_cents": _l("Total"),
        "issue": _l("Issue"),
    }
    column_formatters = {
        "balance": _balance,
        "overdue": _overdue,
        "issue": InvoiceIssue.issue_button,
    }
    column_searchable_list = ("number", "customer.name")
    column_filters = ("status", "issued_on", "due_on", "created_at")
    column_sortable_list = ("number", "issued_on", "due_on", "status", "total_cents", "created_at")
    form_columns = (
        "customer",
        "property",
        "work_order",
        "status",
        "issued_on",
        "due_on",
        "notes",
        "lines",
    )
    column_details_list = (
        "issue",
        "number",
        *form_columns[:-1],
        "lines",
        *READ_ONLY_TOTALS,
        "amount_paid_cents",
        "balance",
        "paid_at",
        "payments",
    )
    inline_models = (
        line_items(InvoiceLine, "taxable", form_args=TAXABLE_ARGS, column_labels=TAXABLE_LABEL),
    )

    def validate_model(self, model) -> None:
        if model.issued_on and model.due_on and model.due_on < model.issued_on:
            raise ValidationError(_("The due date cannot be before the issue date."))
        was = _saved_status(model)
        if was == InvoiceStatus.VOID and model.status != InvoiceStatus.VOID:
            raise ValidationError(
                _(
                    "%(number)s is void and stays void; its job's lines are invoiced again "
                    "on a new invoice.",
                    number=model.number,
                )
            )
        if model.status == InvoiceStatus.VOID and was != InvoiceStatus.VOID:
            free_void_invoice_lines(model, current_staff())
        super().validate_model(model)
        if model.id is not None:
            refresh_amount_paid(model)


class PaymentView(StaffModelView):
    area = "billing"
    menu_category = _l("Billing")
    column_list = (
        "created_at",
        "invoice",
        "customer",
        "amount_cents",
        "method",
        "status",
        "reference",
        "received_at",
    )
    column_labels = {"amount_cents": _l("Amount")}
    column_searchable_list = ("reference", "invoice.number", "customer.name")
    column_filters = ("method", "status", "received_at", "created_at")
    column_sortable_list = ("created_at", "amount_cents", "status", "received_at")
    form_columns = ("invoice", "amount_cents", "method", "status", "reference", "received_at")
    form_overrides = {"amount_cents": CentsField}
    form_args = {"amount_cents": {"label": _l("Amount ($)"), "positive": True}}
    # Payments typed in here are offline ones: a check, received in full, today.
    form_defaults = {
        "method": PaymentMethod.CHECK,
        "status": PaymentStatus.SUCCEEDED,
        "received_at": utcnow,
    }
    column_details_list = (
        *form_columns,
        "customer",
        "stripe_payment_intent_id",
        "stripe_charge_id",
    )
    form_ajax_refs = lookups("invoice")

    def validate_model(self, model) -> None:
        model.customer = model.invoice.customer
        model.currency = model.invoice.currency
        refresh_amount_paid(model.invoice)

    def on_model_delete(self, model) -> None:
        super().on_model_delete(model)
        refresh_amount_paid(model.invoice, excluding=model)


class CheckoutSessionView(StaffModelView):
    """Card payments customers started from the portal, and whether they finished."""

    area = "billing"
    menu_category = _l("Billing")
    allow_create = allow_edit = allow_delete = False
    column_list = ("created_at", "invoice", "customer", "amount_cents", "status", "portal_user")
    column_labels = {"amount_cents": _l("Amount")}
    column_searchable_list = ("stripe_session_id", "invoice.number", "customer.name")
    column_filters = ("status", "created_at")
    column_sortable_list = ("created_at", "status")
    column_details_list = (
        *column_list,
        "stripe_session_id",
        "invoice_version",
        "idempotency_key",
        "expires_at",
        "completed_at",
    )


def _payload(view, context, model, name) -> Markup:
    return Markup("<pre>{}</pre>").format(json.dumps(model.payload, indent=2, sort_keys=True))


class StripeEventView(StaffModelView):
    """Every event Stripe's webhook delivered, and what became of it; the ones that could not
    be applied wait here (filter: needs attention) until someone settles them."""

    area = "billing"
    menu_category = _l("Billing")
    allow_create = allow_edit = allow_delete = False
    column_default_sort = ("received_at", True)
    column_list = (
        "received_at",
        "type",
        "status",
        "problem",
        "invoice",
        "payment",
        "stripe_event_id",
    )
    column_labels = {"stripe_event_id": _l("Stripe event")}
    column_searchable_list = ("stripe_event_id", "type", "payment_intent_id", "problem")
    column_filters = ("status", "type", "received_at")
    column_sortable_list = ("received_at", "type", "status")
    column_details_list = (
        "stripe_event_id",
        "type",
        "status",
        "problem",
        "stripe_created_at",
        "received_at",
        "applied_at",
        "invoice",
        "payment",
        "payment_intent_id",
        "resolved_by",
        "resolved_at",
        "resolution_note",
        "payload",
    )
    column_formatters = {"payload": _payload}

    @action(
        "resolve",
        _l("Mark as settled"),
        _l("Mark the selected events as settled? Do this once the payment has been dealt with."),
    )
    def action_resolve(self, ids):
        settled = sum(settle(event, staff=current_staff()) for event in self.selected(ids))
        db.session.commit()
        flash(ngettext("%(num)s event settled.", "%(num)s events settled.", settled))
