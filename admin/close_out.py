"""Closing jobs out in the back office: "Complete job" and "Invoice work done so far" on a
work order, "Issue" on a draft invoice, each one click (a button) or in bulk (a list action).
The views below mix these into WorkOrderView and InvoiceView; app.services.close_out does the
work."""

from flask import flash, get_template_attribute, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from app.auth.roles import current_staff
from app.errors import UserError
from app.extensions import db
from app.formatting import money
from app.models import Invoice, WorkOrder
from app.models.enums import InvoiceStatus, WorkOrderStatus
from app.queries.close_out import uninvoiced_lines
from app.services.close_out import (
    complete_work_order,
    invoice_work_done,
    issue_invoice,
)


def post_button(url: str, label, fields: dict, style: str = "btn-primary") -> Markup:
    return get_template_attribute("admin/_post_button.html", "post_button")(
        url, label, fields, style
    )


def invoice_news(invoice: Invoice | None) -> str:
    """What became of the invoice a close-out drafted, in one sentence."""
    if invoice is None:
        return _("Every line was invoiced already.")
    total = money(invoice.total_cents, invoice.currency)
    if invoice.status == InvoiceStatus.DRAFT:
        return _(
            "Invoice %(number)s (%(total)s) is drafted for the office to issue.",
            number=invoice.number,
            total=total,
        )
    return _(
        "Invoice %(number)s (%(total)s) is issued: the customer can pay it in the portal.",
        number=invoice.number,
        total=total,
    )


def _run(step, records, done_message) -> None:
    """`step(record, staff)` on each record, each committed on its own; a refusal is flashed
    and leaves that record as it was."""
    for record in records:
        try:
            result = step(record, current_staff())
        except UserError as error:
            db.session.rollback()
            flash(str(error), "error")
            continue
        db.session.commit()
        flash(done_message(record, result), "success")


def completed_news(work_order: WorkOrder, invoice: Invoice | None) -> str:
    return _("%(number)s is completed.", number=work_order.number) + " " + invoice_news(invoice)


def _invoiced(work_order: WorkOrder, invoice: Invoice) -> str:
    return invoice_news(invoice)


def _issued(invoice: Invoice, emailed: int) -> str:
    return ngettext(
        "%(number)s is issued and its link e-mailed to %(num)s person.",
        "%(number)s is issued and its link e-mailed to %(num)s people.",
        emailed,
        number=invoice.number,
    )


def _one_click(view, step, done_message):
    """A button's post: `step` on the record the form names (one the staff member may change),
    then back to its page; a record they cannot change is a message."""
    record = view.get_one(request.form.get("id", "")) if view.can_edit else None
    if record is None:
        flash(_("That record is not there, or not yours to change."), "error")
        return redirect(view.get_url(".index_view"))
    _run(step, [record], done_message)
    return redirect(view.get_url(".details_view", id=record.id))


class WorkOrderCloseOut:
    """Complete job and Invoice work done so far, on the work order's page and in bulk."""

    def close_out_buttons(self, context, model, name) -> Markup:
        """The work order's close-out buttons (a column formatter): while it is open, and
        once completed while lines are left to invoice (a void invoice let go of them)."""
        if not self.can_edit:
            return Markup("")
        fields = {"id": model.id}
        if model.is_open:
            return post_button(self.get_url(".complete"), _("Complete job"), fields) + post_button(
                self.get_url(".invoice_done"),
                _("Invoice work done so far"),
                fields,
                "btn-outline-primary",
            )
        if model.status == WorkOrderStatus.COMPLETED and uninvoiced_lines(model):
            return post_button(self.get_url(".invoice_done"), _("Invoice the rest"), fields)
        return Markup("")

    @expose("/complete", methods=("POST",))
    def complete(self):
        return _one_click(self, complete_work_order, completed_news)

    @expose("/invoice-done", methods=("POST",))
    def invoice_done(self):
        return _one_click(self, invoice_work_done, _invoiced)

    @action(
        "complete",
        _l("Complete job"),
        _l("Complete the selected work orders and invoice what is left of them?"),
    )
    def action_complete(self, ids):
        _run(complete_work_order, self.selected(ids), completed_news)


class InvoiceIssue:
    """Issue a draft invoice: a button on its row and page, and in bulk."""

    def issue_button(self, context, model, name) -> Markup:
        """A draft's Issue button (a column formatter)."""
        if model.status != InvoiceStatus.DRAFT or not self.can_edit:
            return Markup("")
        return post_button(self.get_url(".issue"), _("Issue"), {"id": model.id})

    @expose("/issue", methods=("POST",))
    def issue(self):
        return _one_click(self, issue_invoice, _issued)

    @action(
        "issue",
        _l("Issue"),
        _l("Issue the selected draft invoices and e-mail the customers their link?"),
    )
    def action_issue(self, ids):
        _run(issue_invoice, self.selected(ids), _issued)
