"""A work order ready for the customer's sign-off, for sign-off tests."""

import pytest

from app.extensions import db
from app.models import WorkOrderNote
from app.models.base import utcnow
from app.models.enums import VisitStatus
from tests import factories as f
from tests.helpers import finish_jobs


def ready_work_order(technician_id: int, *, language: str | None = None):
    """A work order of `technician_id`'s, on site now, with two lines, a note for the customer
    and an internal one, and a portal user reading in `language` (committed)."""
    order = f.WorkOrderFactory(technician_id=technician_id, visit_at=utcnow())
    order.visits[0].status = VisitStatus.ON_SITE
    f.WorkOrderLineFactory(
        work_order=order, description="Replace capacitor", unit_price_cents=18500
    )
    f.WorkOrderLineFactory(work_order=order, description="Diagnostic visit", unit_price_cents=8900)
    db.session.add_all(
        [
            WorkOrderNote(
                work_order=order, body="Coil cleaned; runs quiet now.", visible_to_customer=True
            ),
            WorkOrderNote(
                work_order=order, body="Internal: dog in the yard", visible_to_customer=False
            ),
        ]
    )
    f.PortalUserFactory(customer=order.customer, email="ana@example.test", language=language)
    db.session.commit()
    return order


@pytest.fixture(autouse=True)
def _signed_copies_finish(app):
    """A sign-off's PDF job runs in a thread after the commit: let it end before the next test."""
    yield
    finish_jobs(app, "signed_work_order")
