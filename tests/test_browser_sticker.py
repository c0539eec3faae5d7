"""The sticker's request form on a phone-sized screen in real Chromium, with CSRF protection on
as in production (the form's signed token, no cookie, no JavaScript)."""

import io

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import ServiceRequest
from tests import factories as f


def test_a_phone_user_sends_a_request_with_a_photo(
    app, live_server, browser, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context():
        f.CompanySettingsFactory()
        token = f.UnitFactory().qr_token
    photo = tmp_path / "unit.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "gray").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server}/U/{token}")
        assert page.locator("input[name=csrf_token]").get_attribute("value")
        forged = context.request.post(
            f"{live_server}/u/{token}",
            form={"contact_name": "Forger", "contact_phone": "555 000 1111", "description": "x"},
        )
        assert forged.status == 400  # the same browser, but no token: refused
        assert not context.cookies()  # reading the page set no cookie
        width = page.locator("button[type=submit]").bounding_box()["width"]
        assert 300 < width <= 390  # the button spans the phone's width, nothing overflows
        page.fill("#contact_name", "Jo Phone")
        page.fill("#contact_phone", "555 222 3333")
        page.fill("#description", "Thermostat blank, no heat")
        page.select_option("#preferred_window", "afternoon")
        page.set_input_files("#photos", str(photo))
        page.click("button[type=submit]")
        page.wait_for_url("**/request-status/**")
        text = page.inner_text("main")
        assert "Request sent" in text and "SR-000001" in text
    finally:
        context.close()
    with app.app_context():
        [request] = db.session.scalars(select(ServiceRequest)).all()
        assert request.contact_name == "Jo Phone" and len(request.photos) == 1
