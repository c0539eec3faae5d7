"""The customer signs the work order on the technician's phone in Chromium: the summary in
large text, a stroke drawn with the finger (the mouse here), the signature recorded."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import WorkOrderSignOff
from app.models.enums import SignOffMethod
from app.storage import read_bytes
from tests.browser_helpers import (
    draw_signature,
    no_sideways_scroll,
    open_signed_in,
    tess_on_her_phone,
)
from tests.sign_off_helpers import (
    _signed_copies_finish,  # noqa: F401
    ready_work_order,
)


def test_the_customer_draws_their_signature_on_the_technicians_phone(
    app, live_server, page, make_staff, screenshot, csp_problems
):
    tess = tess_on_her_phone(page, make_staff)
    with app.app_context():
        order_id = ready_work_order(tess, language="es").id
    open_signed_in(app, page, live_server, tess, f"/admin/sign-off/{order_id}")
    expect(page.locator("h1")).to_contain_text("Orden de trabajo")
    expect(page.locator("main")).to_contain_text("Replace capacitor")
    no_sideways_scroll(page)
    screenshot("sign-off-summary-phone")

    page.fill("input[name=signer_name]", "Ana Rivera")
    page.locator("[data-signature-pad] canvas").scroll_into_view_if_needed()
    draw_signature(page)
    screenshot("sign-off-signed-phone")
    page.get_by_role("button", name="Firmar", exact=True).click()
    expect(page.locator("#sign-off-status")).to_contain_text("Firmado por Ana Rivera")
    screenshot("sign-off-done-phone")
    with app.app_context():
        sign_off = db.session.scalar(select(WorkOrderSignOff))
        assert sign_off.method == SignOffMethod.DRAWN and sign_off.locale == "es"
        assert read_bytes(sign_off.signature_key).startswith(b"\x89PNG")
    assert csp_problems == []
