"""EPA refrigerant compliance for commercial customers: per appliance, the regime, the full
charge, every service event, leak rates against the threshold, obligations and repairs."""

from flask import abort, render_template

from app.models import Unit
from app.services.company import local_today
from app.services.portal_compliance import appliance_records, leak_rate_chart, regulated_units
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.navigation import has_compliance_section


def _commercial_only() -> None:
    """Compliance is a commercial customer's section (as in the menu): a 404 for others."""
    if not has_compliance_section(current_portal_user()):
        abort(404)


@bp.get("/compliance")
@portal_login_required
def compliance():
    _commercial_only()
    records = appliance_records(scope(), regulated_units(scope()))
    return render_template("portal/compliance.html", records=records, today=local_today())


@bp.get("/compliance/<int:unit_id>")
@portal_login_required
def compliance_unit(unit_id: int):
    _commercial_only()
    unit = scope().get_or_404(Unit, unit_id)
    [record] = appliance_records(scope(), [unit])
    return render_template(
        "portal/compliance_unit.html",
        record=record,
        chart=leak_rate_chart(record),
        today=local_today(),
    )
