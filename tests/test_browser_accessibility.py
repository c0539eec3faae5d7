"""An axe-core scan in Chromium of the main pages of every surface, on the demo contractor: no
serious or critical accessibility violation (missing labels, landmarks, alt text, contrast below
WCAG 2.1 AA...). axe-core comes bundled in the axe-playwright-python package (no CDN)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Customer, PortalUser, StaffUser, Unit, WorkOrder
from app.models.enums import StaffRole
from tests.browser_helpers import VIEWPORTS, blocking_violations, sign_in_page


def _scan(page, live_server, paths: dict[str, str], screenshot) -> str:
    """Open each page and scan it on a phone, then on a desktop (the same page, resized: the
    layout follows the screen's width); what axe finds, one line per element (empty when all
    is well)."""
    found = []
    for label, path in paths.items():
        page.goto(f"{live_server}{path}")
        assert page.url.startswith(f"{live_server}{path.split('?')[0]}"), (label, page.url)
        for viewport_name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            found += [f"{label} ({viewport_name}): {line}" for line in blocking_violations(page)]
            screenshot(f"{viewport_name}-{label.replace(' ', '-')}")
    return "\n".join(found)


@pytest.fixture
def demo(app, seeded_demo):
    """The demo contractor, seeded; returns the first ids each surface needs."""
    with app.app_context():
        first = db.session.scalars
        customer = first(select(Customer).join(PortalUser).order_by(Customer.id)).first()
        return {
            "dispatcher": first(
                select(StaffUser.id).where(StaffUser.role == StaffRole.DISPATCHER)
            ).first(),
            "technician": first(
                select(StaffUser.id).where(StaffUser.role == StaffRole.TECHNICIAN)
            ).first(),
            "portal_user": first(
                select(PortalUser.id).where(PortalUser.customer_id == customer.id)
            ).first(),
            "work_order": first(select(WorkOrder.id).order_by(WorkOrder.id)).first(),
            "customer": customer.id,
            "unit_token": first(select(Unit.qr_token).order_by(Unit.id)).first(),
        }


def test_the_back_office_has_no_serious_accessibility_violations(
    app, live_server, page, demo, screenshot
):
    sign_in_page(app, page, live_server, StaffUser, demo["dispatcher"])
    paths = {
        "dashboard": "/admin/",
        "customer list": "/admin/customer/",
        "customer details": f"/admin/customer/details/?id={demo['customer']}",
        "work order form": f"/admin/workorder/edit/?id={demo['work_order']}",
        "dispatch": "/admin/dispatch/",
    }
    assert _scan(page, live_server, paths, screenshot) == ""


def test_the_portal_has_no_serious_accessibility_violations(
    app, live_server, page, demo, screenshot
):
    assert _scan(page, live_server, {"sign-in": "/portal/login"}, screenshot) == ""
    sign_in_page(app, page, live_server, PortalUser, demo["portal_user"])
    paths = {
        "dashboard": "/portal/",
        "invoices": "/portal/invoices",
        "equipment": "/portal/equipment",
        "quotes": "/portal/quotes",
        "messages": "/portal/messages",
    }
    assert _scan(page, live_server, paths, screenshot) == ""


def test_the_sticker_pages_have_no_serious_accessibility_violations(
    app, live_server, page, demo, screenshot
):
    sticker = f"/U/{demo['unit_token']}"
    assert _scan(page, live_server, {"public form": sticker}, screenshot) == ""
    sign_in_page(app, page, live_server, StaffUser, demo["technician"])
    page.goto(f"{live_server}{sticker}")
    assert "Open in the back office" in page.content()
    assert _scan(page, live_server, {"technician view": sticker}, screenshot) == ""
