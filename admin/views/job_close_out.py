"""The job page's closing steps, posted from its close-out panel (admin/job/_close_out.html):
Complete job, and e-mail an issued invoice's "Pay now" link to the customer."""

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from admin.close_out import completed_news
from admin.views.job_step import JobStepView
from app.auth.roles import current_staff
from app.errors import UserError
from app.ids import record_id
from app.models import Invoice
from app.outcomes import commit_or_flash
from app.queries.close_out import close_out_panel
from app.services.close_out import complete_work_order, send_pay_link


class PayLinkForm(FlaskForm):
    """Which issued invoice of the job, and to whom: every portal user, or one of them."""

    invoice_id = HiddenField()
    to = SelectField(_l("Send to"), validate_choice=False)


def pay_link_form(panel, **options) -> PayLinkForm:
    """The form, offering the customer's portal users' addresses (`formdata=None`: to show)."""
    form = PayLinkForm(**options)
    form.to.choices = [("", _("Every portal user")), *((a, a) for a in panel.addresses)]
    return form


class JobCloseOutView(JobStepView):
    def _back(self, work_order):
        return redirect(url_for("job_page.page", work_order_id=work_order.id) + "#close-out")

    @expose("/<work_order_id>/complete", methods=("POST",))
    def complete(self, work_order_id: str):
        work_order = self._job(work_order_id)
        if not FlaskForm().validate_on_submit():
            abort(400)
        with commit_or_flash(UserError):
            invoice = complete_work_order(work_order, current_staff())
            flash(completed_news(work_order, invoice), "success")
        return self._back(work_order)

    @expose("/<work_order_id>/pay-link", methods=("POST",))
    def pay_link(self, work_order_id: str):
        work_order = self._job(work_order_id)
        panel = close_out_panel(work_order)
        form = pay_link_form(panel)
        invoice = next((i for i in panel.payable if i.id == record_id(form.invoice_id.data)), None)
        if not form.validate_on_submit() or invoice is None:
            flash(_("That invoice has nothing to pay online."), "error")
        elif form.to.data and form.to.data not in panel.addresses:
            flash(_("Pick one of the customer's portal users."), "error")
        else:
            with commit_or_flash(UserError):
                emailed = send_pay_link(invoice, current_staff(), to=form.to.data or "")
                flash(_sent(invoice, emailed), "success")
        return self._back(work_order)


def _sent(invoice: Invoice, emailed: int) -> str:
    return ngettext(
        "The Pay now link of %(number)s is on its way to %(num)s person.",
        "The Pay now link of %(number)s is on its way to %(num)s people.",
        emailed,
        number=invoice.number,
    )
