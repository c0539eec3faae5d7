"""A customer's whole portal visit in real Chromium: invitation, history, documents,
a service request with a photo, and a message to the office."""

import io
import re
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Document, Message, OutboxMessage, ServiceRequest
from app.models.enums import DocumentKind, RequestSource, WorkOrderStatus
from app.services.portal_access import invite_portal_user
from app.storage import save_bytes
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _customer_with_two_properties(app) -> str:
    """Returns the path of the invitation link the customer was e-mailed."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Rivera Family")
        lake = f.PropertyFactory(customer=customer, name="Lake House")
        town = f.PropertyFactory(customer=customer, name="Town Home")
        done = datetime.now(UTC) - timedelta(days=30)
        for prop, summary in ((lake, "Lake furnace tune-up"), (town, "Town AC repair")):
            unit = f.UnitFactory(property=prop, name=f"{prop.name} unit")
            f.WorkOrderFactory(
                property=prop,
                unit=unit,
                summary=summary,
                status=WorkOrderStatus.COMPLETED,
                completed_at=done,
            )
        stored = save_bytes(
            PDF,
            folder="documents",
            suffix=".pdf",
            filename="warranty.pdf",
            content_type="application/pdf",
        )
        db.session.add(
            Document(
                customer=customer,
                kind=DocumentKind.WARRANTY,
                title="Furnace warranty",
                visible_to_customer=True,
                **stored.fields(),
            )
        )
        user = f.PortalUserFactory(customer=customer, name="Ana Rivera", email="ana@example.com")
        invite_portal_user(user, actor=None)
        db.session.commit()
        mail = db.session.scalar(select(OutboxMessage))
        return re.search(r"/portal/link/\S+", mail.text_body).group(0)


def test_a_customer_walks_the_portal(app, live_server, browser, tmp_path):
    invitation = _customer_with_two_properties(app)
    photo = tmp_path / "leak.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "navy").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server + invitation)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server}/portal/")
        assert "Ana Rivera" in page.inner_text("main")

        page.goto(f"{live_server}/portal/history")
        assert "Lake furnace tune-up" in page.inner_text("main")
        page.select_option("select[name=property_id]", label="Town Home")
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()
        history = page.inner_text("main")
        assert "Town AC repair" in history and "Lake furnace tune-up" not in history

        page.goto(f"{live_server}/portal/documents")
        with page.expect_download() as download:
            page.click("text=Furnace warranty")
        assert download.value.path().read_bytes() == PDF

        page.goto(f"{live_server}/portal/requests/new")
        page.select_option("#target", index=1)
        page.fill("#description", "Water dripping from the indoor unit")
        page.set_input_files("#photos", str(photo))
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r".*/portal/requests.*"))

        page.goto(f"{live_server}/portal/messages")
        page.fill("textarea[name=body]", "Can the technician call before coming?")
        page.click("text=Send message")
        page.wait_for_load_state()
        assert "Can the technician call before coming?" in page.inner_text("main")
    finally:
        context.close()

    with app.app_context():
        request = db.session.scalar(select(ServiceRequest))
        assert request.source == RequestSource.PORTAL and len(request.photos) == 1
        assert request.description == "Water dripping from the indoor unit"
        assert db.session.scalar(select(Message)).body == "Can the technician call before coming?"
