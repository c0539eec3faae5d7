"""With the Content-Security-Policy on, pages still work in real Chromium and the browser reports
no violation: in the back office list filters with their date picker, "With selected" actions,
the row delete confirmation, an edit form's AJAX look-up (select2) and date picker; the sticker
page for a stranger and for a technician.

The portal, the quote signature pad and the Stripe "Pay now" redirect are watched the same way
in their own browser tests (tests/test_browser_*.py, `watch_csp`).
"""

from datetime import date

from app.extensions import db
from app.models import Unit
from tests.browser_helpers import open_signed_in
from tests.factories import CompanySettingsFactory, PropertyFactory, UnitFactory


def test_the_policy_blocks_inline_script_and_the_browser_says_so(live_server, page, csp_problems):
    page.goto(f"{live_server}/login")
    # The console's report comes on its own, not with the script's answer: wait for it too.
    with page.expect_console_message(lambda m: "Executing inline script violates" in m.text):
        blocked = page.evaluate(
            """() => new Promise((resolve) => {
            document.addEventListener(
                "securitypolicyviolation", (e) => resolve(e.effectiveDirective), {once: true}
            );
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        })"""
        )
    assert blocked == "script-src-elem"
    assert page.evaluate("() => window.injected") is None
    assert any(p.startswith("script-src-elem blocked inline") for p in csp_problems)  # the event
    assert any("Executing inline script violates" in p for p in csp_problems)  # the console


def test_admin_lists_actions_and_edit_forms_work_without_violations(
    app, live_server, page, csp_problems, make_staff
):
    ann = make_staff("admin", email="ann@polarbear.test")
    with app.app_context():
        unit = UnitFactory(name="Rooftop unit 3", property__name="Harbor View")
        PropertyFactory(name="Lakeside Offices")
        unit_id, old_token = unit.id, unit.qr_token

    open_signed_in(app, page, live_server, ann, "/admin/unit/")
    assert "Rooftop unit 3" in page.inner_text("table.model-list")

    # A date filter, with its picker.
    page.click("text=Add Filter")
    page.click("a.filter >> text=Install Date")
    page.click(".filters input.filter-val")
    page.wait_for_selector(".daterangepicker", state="visible")
    page.keyboard.press("Escape")

    # "With selected" → an action that asks first.
    page.check(f"input.action-checkbox[value='{unit_id}']")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=With selected")
    with page.expect_navigation():  # the list comes back; its delete buttons need its scripts
        page.click("text=Issue new stickers")
    page.wait_for_selector("text=1 units have new sticker codes")

    # The row's delete button asks first; saying no keeps the unit.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(f"form.icon:has(input[value='{unit_id}']) button")
    assert asked == ["Are you sure you want to delete this record?"]

    # The edit form: the property is an AJAX look-up, the installation date has a picker.
    page.goto(f"{live_server}/admin/unit/edit/?id={unit_id}")
    page.click("#s2id_property")
    page.keyboard.type("Lakes")
    page.click(".select2-result-label >> text=Lakeside Offices")
    page.click("#install_date")
    page.wait_for_selector(".daterangepicker", state="visible")
    page.fill("#install_date", "2021-06-15")
    page.keyboard.press("Escape")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(f"{live_server}/admin/unit/")

    with app.app_context():
        saved = db.session.get(Unit, unit_id)
        assert saved.property.name == "Lakeside Offices"
        assert saved.install_date == date(2021, 6, 15)
        assert saved.qr_token != old_token
    assert csp_problems == [], "\n".join(csp_problems)


def test_the_sticker_page_works_without_violations_for_a_stranger_and_a_technician(
    app, live_server, page, csp_problems, make_staff
):
    tom = make_staff("technician", email="tom@polarbear.test")
    with app.app_context():
        CompanySettingsFactory()
        token = UnitFactory(name="Walk-in cooler").qr_token

    page.goto(f"{live_server}/U/{token}")
    page.fill("#contact_name", "Jo Phone")
    page.fill("#contact_phone", "555 222 3333")
    page.fill("#description", "Cooler is warm")
    page.click("main button[type=submit]")
    page.wait_for_url("**/request-status/**")
    assert "Request sent" in page.inner_text("main")

    open_signed_in(app, page, live_server, tom, "/admin/")
    page.goto(f"{live_server}/u/{token}")
    assert "Walk-in cooler" in page.inner_text("main")
    assert csp_problems == [], "\n".join(csp_problems)
