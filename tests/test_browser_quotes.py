"""A customer signs a quote on a phone-sized screen in real Chromium: ticks an add-on (the
total follows), draws a signature with the mouse and approves; the office finds the work
order in admin, and the customer finds the signed PDF in their documents."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Quote
from app.services.portal_access import invite_portal_user
from app.services.quotes import SIGNED_QUOTE_JOB
from tests import factories as f
from tests.browser_helpers import draw_signature, open_signed_in
from tests.conftest import watch_csp
from tests.helpers import finish_jobs
from tests.quote_helpers import (
    _signed_pdfs_finish,  # noqa: F401
    hvac_quote,
)

PHONE = {"width": 390, "height": 844}


def _customer_with_a_quote(app) -> tuple[int, str]:
    """The quote's id, and the path of the invitation link the customer was e-mailed."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Rivera Family")
        lake = f.PropertyFactory(customer=customer, name="Lake House")
        f.PropertyFactory(customer=customer, name="Town Home")
        quote = hvac_quote(lake)
        user = f.PortalUserFactory(customer=customer, name="Ana Rivera", email="ana@example.com")
        invite_portal_user(user, actor=None)
        db.session.commit()
        mail = db.session.scalar(select(OutboxMessage))
        return quote.id, re.search(r"/portal/link/\S+", mail.text_body).group(0)


def _open_quote(page, site: str, invitation: str, quote_id: int) -> None:
    """Sign in with the invitation link, then open the quote."""
    page.goto(site + invitation)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{site}/portal/")
    page.goto(f"{site}/portal/quotes/{quote_id}")


def test_a_customer_signs_a_quote_on_a_phone_and_the_work_order_appears(
    app, live_server, browser, make_staff
):
    quote_id, invitation = _customer_with_a_quote(app)
    dana = make_staff("dispatcher", email="dana@polarbear.test", name="Dana Dispatcher")

    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, accept_downloads=True)
    page = phone.new_page()
    csp_problems = watch_csp(page)
    try:
        page.goto(live_server + invitation)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server}/portal/")
        page.click(f"a[href='/portal/quotes/{quote_id}']")
        page.wait_for_url(f"{live_server}/portal/quotes/{quote_id}")
        total = page.locator(".approving-total [data-total=total]")
        assert total.inner_text() == "$6,080.40"
        assert page.locator("button[name=update]").is_hidden()  # the script updates totals

        page.click("text=Smart Wi-Fi thermostat")
        expect(total).to_have_text("$6,345.62")  # + $245.00, 8.25% tax rounded half-up
        expect(page.locator("#approving")).to_contain_text("Smart Wi-Fi thermostat")

        sizes = page.eval_on_selector(
            "[data-signature-pad] canvas",
            "c => [c.width, c.getBoundingClientRect().width, getComputedStyle(c).touchAction]",
        )
        assert sizes[0] == round(2 * sizes[1]) and sizes[2] == "none"  # sharp, finger-ready

        page.fill("#signer_name", "Ana Rivera")
        page.click("#approve-form button[type=submit]")  # nothing drawn yet: asked to sign
        expect(page.locator("#approve-form")).to_contain_text("Please sign in the box")
        draw_signature(page)
        page.check("#consent")
        # The quote's page comes back at its own address: waiting for that would not wait.
        with page.expect_navigation(url=f"{live_server}/portal/quotes/{quote_id}"):
            page.click("#approve-form button[type=submit]")
        assert "You approved quote" in page.inner_text("main")
        assert "Approved by Ana Rivera" in page.inner_text("main")

        finish_jobs(app, SIGNED_QUOTE_JOB)  # the signed PDF is made after the approval
        page.reload()
        expect(page.locator("main")).to_contain_text("Download the signed quote")

        page.goto(f"{live_server}/portal/documents")
        with page.expect_download() as download:
            page.click("text=Signed quote")
        signed = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    finally:
        phone.close()
    assert csp_problems == [], csp_problems

    text = "\n".join(p.extract_text() for p in signed.pages)
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        work_order, sha = quote.work_order.number, quote.content_sha256
        assert quote.signature_method.value == "drawn"
    assert signed.pages[0].images and "Ana Rivera" in text and sha in text.replace("\n", "")
    assert "Add-on: Smart Wi-Fi thermostat" in text and "$6,345.62" in text

    office = browser.new_context()
    page = office.new_page()
    csp_problems = watch_csp(page)
    try:
        open_signed_in(app, page, live_server, dana, "/admin/workorder/")
        row = page.locator("table.model-list tr", has_text=work_order)
        assert "Replace the heat pump" in row.inner_text()
        assert "Rivera Family" in row.inner_text()
    finally:
        office.close()
    assert csp_problems == [], csp_problems


def test_the_signature_pad_takes_a_finger_on_a_touch_screen(app, live_server, browser):
    quote_id, invitation = _customer_with_a_quote(app)
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=3, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    try:
        _open_quote(page, live_server, invitation, quote_id)
        canvas = page.locator("[data-signature-pad] canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        touch = phone.new_cdp_session(page)
        x, y = box["x"] + 30, box["y"] + box["height"] / 2
        scrolled = page.evaluate("window.scrollY")
        touch.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for step in range(1, 20):
            point = {"x": x + step * 12, "y": y - 30 * (step % 4) / 3}
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(page.locator("input[name=signature]")).to_have_value(
            re.compile(r"^data:image/png;base64,")
        )
        assert page.evaluate("window.scrollY") == scrolled  # the stroke drew, it did not scroll
    finally:
        phone.close()


def test_an_untaxed_add_on_adds_its_price_and_no_tax_to_the_live_total(app, live_server, browser):
    quote_id, invitation = _customer_with_a_quote(app)
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        next(line for line in quote.lines if "thermostat" in line.description).taxable = False
        db.session.commit()
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    try:
        _open_quote(page, live_server, invitation, quote_id)
        total = page.locator(".approving-total [data-total=total]")
        tax = page.locator("tfoot [data-total=tax]")
        before = tax.inner_text()
        assert total.inner_text() == "$6,080.40"
        page.click("text=Smart Wi-Fi thermostat")
        expect(total).to_have_text("$6,325.40")  # + $245.00 and no tax on it
        expect(tax).to_have_text(before)
        expect(page.locator("main")).to_contain_text("No sales tax")
    finally:
        phone.close()
