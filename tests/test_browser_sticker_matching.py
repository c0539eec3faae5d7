"""Printing stickers you can match to units, in Chromium on a phone and a desktop: the print form
previews the first sheet, and binding a blank sticker to a unit with a working one asks first
(screenshots with TEST_SCREENSHOTS set)."""

from app.extensions import db
from app.models import BlankSticker, Unit
from app.models.enums import CustomerKind
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, no_sideways_scroll, sign_in


def _hoa():
    f.CompanySettingsFactory()
    hoa = f.CustomerFactory(name="Maple Court HOA", kind=CustomerKind.COMMERCIAL)
    prop = f.PropertyFactory(customer=hoa, name="Maple Court")
    units = [f.UnitFactory(property=prop, name=f"Apt {n} condenser") for n in range(1, 6)]
    return prop, units


def test_the_print_form_shows_the_first_sheet(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        prop, units = _hoa()
        path, first = f"/admin/stickers/?property_id={prop.id}", units[0].printed_label_code
    sign_in(app, page, live_server, make_staff, path)
    page.fill("input[name=start]", "4")
    with page.expect_navigation():  # the page comes back with the sheet, whole once loaded
        page.get_by_role("button", name="Show the first sheet").click()
    preview = page.locator("svg.sheet-preview")
    assert first in preview.inner_html() and "Apt 1 condenser" in preview.inner_html()
    assert preview.locator("text=used").count() == 3
    box = preview.bounding_box()
    assert box["width"] <= VIEWPORTS[viewport]["width"] and box["height"] > 200
    no_sideways_scroll(page)
    screenshot(f"sticker-preview-{viewport}")


def test_a_blank_sticker_on_a_unit_with_a_working_one_asks_first(
    app, live_server, page, make_staff, screenshot, viewport
):
    with app.app_context():
        _prop, units = _hoa()
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        unit_id, old_token, path = units[0].id, units[0].qr_token, f"/u/{blank.token}"
    sign_in(app, page, live_server, make_staff, "/admin/")
    page.goto(f"{live_server}{path}?q=Apt 1")
    page.get_by_role("button", name="Put the sticker on this unit").first.click()
    page.wait_for_selector("text=will stop working")
    no_sideways_scroll(page)
    screenshot(f"bind-confirm-{viewport}")
    with app.app_context():
        assert db.session.get(Unit, unit_id).qr_token == old_token
    page.get_by_role("button", name="Yes, replace the old sticker").click()
    page.wait_for_selector("text=is now on")
    with app.app_context():
        assert db.session.get(Unit, unit_id).qr_token != old_token
