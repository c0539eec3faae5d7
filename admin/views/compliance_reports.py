"""The EPA refrigerant compliance report: choose a customer, a site and a period; a job makes
the PDF and keeps it in the customer's documents.

The customer is an AJAX look-up (never a list of every customer); once one is chosen, the
site list holds that customer's sites only.
"""

from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.fields import AjaxSelectField
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from admin.base import StaffBaseView
from admin.lookups import LookupPage, lookups
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import optional_id
from app.jobs import enqueue
from app.models import Property
from app.queries.compliance_report import sites_of
from app.services.audit import record
from app.services.company import local_today
from reports.compliance import MAX_YEARS, period_too_long

DEFAULT_YEARS = 3
CUSTOMERS = lookups("refrigerant_customer")["refrigerant_customer"]


class ComplianceReportForm(FlaskForm):
    customer_id = AjaxSelectField(CUSTOMERS, _l("Customer"), validators=[InputRequired()])
    # Checked against the chosen customer's sites in _valid().
    property_id = SelectField(_l("Site"), coerce=optional_id, validate_choice=False)
    date_from = DateField(_l("From"), validators=[InputRequired()])
    date_to = DateField(_l("To"), validators=[InputRequired()])


class ComplianceReportView(LookupPage, StaffBaseView):
    area = "compliance_reports"
    page_lookups = {CUSTOMERS.name: CUSTOMERS}

    @expose("/", methods=("GET", "POST"))
    def index(self):
        posted = request.method == "POST"
        form = ComplianceReportForm(request.form if posted else None)
        if not posted:
            today = local_today()
            form.customer_id.data = CUSTOMERS.get_one(request.args.get("customer_id"))
            form.date_to.data = today
            form.date_from.data = today - timedelta(days=365 * DEFAULT_YEARS)
        sites = sites_of(form.customer_id.data)
        form.property_id.choices = [("", _("All sites"))] + [(p.id, p.name) for p in sites]
        if posted and "show_sites" not in request.form and self._valid(form, sites):
            job = enqueue(
                "compliance_report",
                created_by=current_staff(),
                customer_id=form.customer_id.data.id,
                property_id=form.property_id.data,
                date_from=form.date_from.data.isoformat(),
                date_to=form.date_to.data.isoformat(),
            )
            record("compliance_report_requested", job, actor=current_staff())
            db.session.commit()
            flash(
                _(
                    "Making the compliance report; it will be ready to download here and in "
                    "the customer's documents."
                ),
                "success",
            )
            return redirect(url_for("job.index_view"))
        return self.render("admin/compliance_report.html", form=form)

    @staticmethod
    def _valid(form: ComplianceReportForm, sites: list[Property]) -> bool:
        """The fields and the rules between them, shown on the form instead of failing the job
        later."""
        valid = form.validate()
        start, end = form.date_from.data, form.date_to.data
        if start and end and start > end:
            form.date_to.errors = [
                *form.date_to.errors,
                _("The end date is before the start date."),
            ]
        elif start and end and period_too_long(start, end):
            form.date_to.errors = [_("Choose a period of at most %(n)s years.", n=MAX_YEARS)]
        chosen_site = form.property_id.data
        if chosen_site and chosen_site not in {site.id for site in sites}:
            form.property_id.errors = [_("This site is not one of the customer's.")]
        return valid and not (form.date_to.errors or form.property_id.errors)
