"""The EPA refrigerant compliance report: choose a customer, a site and a period; a job makes
the PDF and keeps it in the customer's documents."""

from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from admin.base import StaffBaseView
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import optional_id, record_id
from app.jobs import enqueue
from app.models import Customer, Property, Unit
from app.models.enums import CustomerKind
from app.services.audit import record
from app.services.company import local_today
from reports.compliance import MAX_YEARS, period_too_long

DEFAULT_YEARS = 3


class ComplianceReportForm(FlaskForm):
    customer_id = SelectField(_l("Customer"), coerce=record_id, validators=[InputRequired()])
    property_id = SelectField(_l("Site"), coerce=optional_id)
    date_from = DateField(_l("From"), validators=[InputRequired()])
    date_to = DateField(_l("To"), validators=[InputRequired()])


def _customers_with_refrigerant(extra_id: int | None) -> list[Customer]:
    """Commercial customers with at least one unit that holds refrigerant, plus `extra_id`."""
    with_units = (
        select(Property.customer_id)
        .join(Unit, Unit.property_id == Property.id)
        .where(Unit.refrigerant_type != "")
    )
    customers = list(
        db.session.scalars(
            select(Customer)
            .where(Customer.kind == CustomerKind.COMMERCIAL, Customer.id.in_(with_units))
            .order_by(Customer.name, Customer.id)
        )
    )
    if extra_id and extra_id not in {c.id for c in customers}:
        extra = db.session.get(Customer, extra_id)
        customers += [extra] if extra else []
    return customers


class ComplianceReportView(StaffBaseView):
    area = "compliance_reports"

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = ComplianceReportForm(request.form if request.method == "POST" else None)
        chosen = record_id(request.values.get("customer_id", ""))
        customers = _customers_with_refrigerant(chosen)
        form.customer_id.choices = [(c.id, c.name) for c in customers]
        sites = db.session.scalars(
            select(Property)
            .where(Property.customer_id.in_([chosen] if chosen else [c.id for c in customers]))
            .order_by(Property.name, Property.id)
        ).all()
        names = {c.id: c.name for c in customers}
        form.property_id.choices = [("", _("All sites"))] + [
            (p.id, p.name if chosen else f"{names[p.customer_id]}: {p.name}") for p in sites
        ]
        if request.method == "GET":
            today = local_today()
            form.customer_id.data = chosen
            form.date_to.data = today
            form.date_from.data = today - timedelta(days=365 * DEFAULT_YEARS)
        elif self._valid(form, sites):
            job = enqueue(
                "compliance_report",
                created_by=current_staff(),
                customer_id=form.customer_id.data,
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
        site = next((p for p in sites if p.id == form.property_id.data), None)
        if form.property_id.data and (site is None or site.customer_id != form.customer_id.data):
            form.property_id.errors = [_("This site is not one of the customer's.")]
        return valid and not (form.date_to.errors or form.property_id.errors)
