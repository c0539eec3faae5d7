"""A customer's whole portal visit in real Chromium, the way a newcomer does it in the demo:
the invitation from the outbox (the development mail page), signing out and back in with a
link asked for at /portal/login, history, documents, a request with a photo, a message."""

import io
import re
from datetime import UTC, datetime, timedelta

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Document, Message, PortalUser, ServiceRequest
from app.models.enums import DocumentKind, RequestSource, WorkOrderStatus
from app.services.portal_access import invite_portal_user
from app.storage import save_bytes
from tests import factories as f
from tests.conftest import watch_csp

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EMAIL = "ana@example.com"


def _invited_customer_with_two_properties(site) -> None:
    """The office has set the customer up and sent the invitation (it waits in the outbox)."""
    with site.app_context():
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
        user = f.PortalUserFactory(customer=customer, name="Ana Rivera", email=EMAIL)
        invite_portal_user(user, actor=None)
        db.session.commit()


def _open_newest_mail(page, base_url: str, subject: str) -> None:
    """Open the development mail page, the newest mail with `subject`, and its sign-in link."""
    page.goto(f"{base_url}/dev/mail/")
    page.locator("table.dev-mail a", has_text=subject).first.click()
    page.click(".dev-mail-text a[href*='/portal/link/']")
    expect(page).to_have_url(re.compile("/portal/link/"))


def _sign_in_with_the_button(page, base_url: str) -> None:
    page.click("main button[type=submit]")  # "Sign in": only this uses the link up
    page.wait_for_url(f"{base_url}/portal/")
    assert "Ana Rivera" in page.inner_text("main")


def test_a_customer_walks_the_portal(portal_site, browser, tmp_path):
    site, base_url = portal_site
    _invited_customer_with_two_properties(site)
    photo = tmp_path / "leak.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "navy").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    csp_problems = watch_csp(page)
    try:
        _open_newest_mail(page, base_url, "You are invited to your service portal")
        _sign_in_with_the_button(page, base_url)

        page.click("header form.signout button")
        page.wait_for_url(re.compile(r".*/portal/login\?signed_out=1$"))
        assert "You are signed out." in page.inner_text("main")
        page.goto(f"{base_url}/portal/")
        page.wait_for_url(re.compile(r".*/portal/login\?next=.*"))

        page.fill("input[name=email]", EMAIL)
        page.click("main form button[type=submit]")
        expect(page.locator("main")).to_contain_text(EMAIL)  # "we sent a link to ..."
        _open_newest_mail(page, base_url, "Your sign-in link")
        _sign_in_with_the_button(page, base_url)

        page.goto(f"{base_url}/portal/history")
        assert "Lake furnace tune-up" in page.inner_text("main")
        page.select_option("select[name=property_id]", label="Town Home")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        history = page.inner_text("main")
        assert "Town AC repair" in history and "Lake furnace tune-up" not in history

        page.goto(f"{base_url}/portal/documents")
        with page.expect_download() as download:
            page.click("text=Furnace warranty")
        assert download.value.path().read_bytes() == PDF

        page.goto(f"{base_url}/portal/requests/new")
        page.select_option("#target", index=1)
        page.fill("#description", "Water dripping from the indoor unit")
        page.set_input_files("#photos", str(photo))
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base_url}/portal/requests")  # not /requests/new, where it is now

        page.goto(f"{base_url}/portal/messages")
        page.fill("textarea[name=body]", "Can the technician call before coming?")
        with page.expect_navigation():
            page.click("text=Send message")
        assert "Can the technician call before coming?" in page.inner_text("main")
    finally:
        context.close()
    assert csp_problems == [], csp_problems

    with site.app_context():
        request = db.session.scalar(select(ServiceRequest))
        assert request.source == RequestSource.PORTAL and len(request.photos) == 1
        assert request.description == "Water dripping from the indoor unit"
        assert db.session.scalar(select(Message)).body == "Can the technician call before coming?"
        assert db.session.scalar(select(PortalUser)).last_login_at is not None
