"""The portal's pictures in real Chromium on a phone (390 px) and a desktop: photo documents and
visit photos as small thumbnails that open the full photo, and the leak-rate chart with its
axes, dates, values and limit line fitting the screen. Screenshots go to TEST_SCREENSHOTS,
when set."""

from datetime import date
from decimal import Decimal

from app.extensions import db
from app.models import WorkOrderPhoto
from app.models.enums import CustomerKind, DocumentKind, WorkOrderStatus
from app.thumbnails import THUMBNAIL_SIDE
from tests import factories as f
from tests.browser_helpers import (
    VIEWPORTS,
    blocking_violations,
    every_picture_shows,
    no_sideways_scroll,
    sign_in_portal_page,
)
from tests.helpers import stored_photo
from tests.portal_helpers import MARCH_AND_APRIL, walk_in_with_a_leak


def _grocer_with_photos_and_a_leak(app) -> tuple[int, int]:
    """A commercial customer: two photo documents, a finished visit with two photos and a
    walk-in freezer with three rated additions (the last two over its 20% limit)."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Harbor Foods", kind=CustomerKind.COMMERCIAL)
        prop = f.PropertyFactory(customer=customer, name="Harbor warehouse")
        for title in ("Coil before cleaning", "Coil after cleaning"):
            f.DocumentFactory(
                customer=customer, kind=DocumentKind.PHOTO, title=title, **stored_photo()
            )
        work_order = f.WorkOrderFactory(
            property=prop, summary="Coil cleaning", status=WorkOrderStatus.COMPLETED
        )
        for caption in ("Condenser coil", "Drain pan"):
            db.session.add(WorkOrderPhoto(work_order=work_order, caption=caption, **stored_photo()))
        january = (date(2026, 1, 10), Decimal(2))
        unit = walk_in_with_a_leak(customer, (january, *MARCH_AND_APRIL))
        return f.PortalUserFactory(customer=customer).id, unit.id


def _thumbnails_open_the_full_photo(page, count: int) -> None:
    pictures = page.locator("a.picture-link img")
    assert pictures.count() == count
    every_picture_shows(page)
    for n in range(count):
        natural = pictures.nth(n).evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert max(natural) <= THUMBNAIL_SIDE, natural
    with page.expect_response(lambda answer: "thumb" not in answer.url) as full:
        pictures.first.click()
    assert full.value.status == 200 and full.value.headers["content-type"] == "image/jpeg"
    page.wait_for_url(full.value.url)  # its answer came before the photo became the page
    page.go_back()


def test_thumbnails_and_the_leak_chart_fit_the_screen(
    app, live_server, page, screenshot, viewport, csp_problems
):
    user_id, unit_id = _grocer_with_photos_and_a_leak(app)
    sign_in_portal_page(app, page, live_server, user_id)
    for path, count, label in (
        ("/portal/documents", 2, "documents"),
        ("/portal/history", 2, "history"),
    ):
        page.goto(f"{live_server}{path}")
        _thumbnails_open_the_full_photo(page, count)
        assert blocking_violations(page) == []
        no_sideways_scroll(page)
        screenshot(f"{label}-{viewport}")

    page.goto(f"{live_server}/portal/compliance/{unit_id}")
    chart = page.get_by_role("img", name="Leak rate at each addition against the threshold")
    box = chart.bounding_box()
    assert box["width"] <= VIEWPORTS[viewport]["width"] and box["height"] > 100
    assert chart.locator(".limit text").text_content() == "20% limit"
    assert chart.locator("g.reading").count() == 3
    assert chart.locator("g.reading.over").count() == 2
    values = chart.locator("text.value")
    for n in range(values.count()):  # every value is drawn inside the picture
        inner = values.nth(n).bounding_box()
        assert box["x"] <= inner["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"]
        assert box["y"] <= inner["y"]
    hidden = page.locator("figure.chart .sr-only")  # the table, for screen readers only
    assert hidden.bounding_box()["width"] <= 1 and hidden.locator("tbody tr").count() == 3
    assert blocking_violations(page) == []
    no_sideways_scroll(page)
    chart.scroll_into_view_if_needed()
    screenshot(f"leak-chart-{viewport}")
    assert csp_problems == []
