"""EPA refrigerant compliance for commercial customers: per appliance, the regime, the full
charge, every service event, leak rates against the threshold, obligations and repairs."""

from babel.dates import format_skeleton
from flask import abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.charts import Limit, Reading, line_chart
from app.formatting import local_date, percent
from app.models import Unit
from app.queries.portal_compliance import (
    ApplianceRecord,
    appliance_records,
    leak_limit,
    regulated_units,
)
from app.services.company import local_day, local_today
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged
from portal.navigation import has_compliance_section


def _commercial_only() -> None:
    """Compliance is a commercial customer's section (as in the menu): a 404 for others."""
    if not has_compliance_section(current_portal_user()):
        abort(404)


@bp.get("/compliance")
@portal_login_required
@kept_while_unchanged
def compliance():
    _commercial_only()
    records = appliance_records(scope(), regulated_units(scope()))
    return render_template("portal/compliance.html", records=records, today=local_today())


@bp.get("/compliance/<int:unit_id>")
@portal_login_required
@kept_while_unchanged
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


def leak_rate_chart(record: ApplianceRecord) -> Markup | None:
    """The leak rate at each addition against the appliance's limit, dates in the reader's
    language ("Mar 4" over "2026"); None before the first rated addition."""
    if not record.rated_additions:
        return None
    readings = []
    for event in record.rated_additions:
        day = local_day(event.occurred_at)
        readings.append(
            Reading(
                day=day,
                axis=(
                    format_skeleton("MMMd", day, locale=get_locale()),
                    format_skeleton("y", day, locale=get_locale()),
                ),
                label=local_date(day),
                value=float(event.leak_rate_percent),
                shown=f"{percent(event.exact_leak_rate)}%",
                over=bool(event.leak_rate_exceeded),
            )
        )
    limit = leak_limit(record)
    return line_chart(
        _("Leak rate at each addition against the threshold"),
        readings,
        limit=Limit(limit, _("%(threshold)s%% limit", threshold=limit)) if limit else None,
        headers=(_("Date"), _("Leak rate"), _("Over the limit")),
        answers=(_("Yes"), _("No")),
        fmt=lambda value: f"{value:g}%",
    )
