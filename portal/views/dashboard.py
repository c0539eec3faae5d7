"""The portal home page."""

from flask import render_template
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import WorkOrder
from app.models.base import utcnow
from app.models.work import OPEN_WORK_ORDER_STATUSES
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope


@bp.get("/")
@portal_login_required
def dashboard():
    upcoming = db.session.scalars(
        scope()
        .select(WorkOrder)
        .where(
            WorkOrder.status.in_(OPEN_WORK_ORDER_STATUSES), WorkOrder.scheduled_start >= utcnow()
        )
        .options(joinedload(WorkOrder.technician), joinedload(WorkOrder.property))
        .order_by(WorkOrder.scheduled_start)
        .limit(10)
    ).all()
    return render_template("portal/dashboard.html", user=current_portal_user(), upcoming=upcoming)
