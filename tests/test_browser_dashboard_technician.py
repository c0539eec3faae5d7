"""The dashboard and a technician's phone in Chromium: the charts on the office's dashboard,
the sticker page with colleagues' photos, and the admin pages a technician uses, on a 390 px
phone and a desktop. Every picture loads and nothing scrolls sideways (screenshots
with TEST_SCREENSHOTS set, for a person to look at)."""

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from app.extensions import db
from app.models import StaffUser, WorkOrderPhoto
from app.models.enums import InvoiceStatus, RequestSource, StaffRole, WorkOrderStatus
from app.services.company import local_today
from app.storage import save_bytes
from tests import factories as f
from tests.browser_helpers import VIEWPORTS, every_picture_shows, no_sideways_scroll, open_signed_in


def _jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(out, "JPEG")
    return out.getvalue()


def _photo(work_order, caption: str, color: str) -> None:
    stored = save_bytes(
        _jpeg(color),
        folder="work-order-photos",
        suffix=".jpg",
        filename="photo.jpg",
        content_type="image/jpeg",
    )
    db.session.add(WorkOrderPhoto(work_order=work_order, caption=caption, **stored.fields()))


def _walk_in_freezer(app, make_staff):
    """A freezer whose history holds six photos by three technicians; a week of work and
    money for the charts. Returns the first technician's id, the token, a work order of
    theirs and the unit's id."""
    tech_ids = [
        make_staff(StaffRole.TECHNICIAN, name=name, email=f"t{n}@polarbear.test")
        for n, name in enumerate(("Jenna Kowalski", "Marcus Reyes", "Tyrone Banks"))
    ]
    with app.app_context():
        return _history_and_figures([db.session.get(StaffUser, id_) for id_ in tech_ids])


def _history_and_figures(techs):
    f.CompanySettingsFactory()
    unit = f.UnitFactory(name="Frozen foods walk-in freezer")
    mine = None
    for tech, color in zip(techs, ("steelblue", "darkorange", "seagreen"), strict=True):
        for n in range(2):
            work_order = f.WorkOrderFactory(
                property=unit.property,
                unit=unit,
                technician=tech,
                summary="Refrigerant leak: found, repaired and recharged",
                status=WorkOrderStatus.COMPLETED,
                completed_at=datetime.now(UTC) - timedelta(days=30 * (n + 1)),
            )
            f.WorkOrderLineFactory(work_order=work_order, description="Brazing alloy and drier")
            _photo(work_order, f"{tech.name}, visit {n + 1}", color)
            mine = mine or work_order
        # Now: always this week (an hour ahead is next week in a Sunday's last hour).
        f.WorkOrderFactory(technician=tech, visit_at=datetime.now(UTC))
    f.RefrigerantEventFactory(unit=unit, technician=techs[0])
    for days_late, cents in ((-5, 779300), (20, 207200), (45, 107500), (120, 285100)):
        f.InvoiceFactory(due_on=local_today() - timedelta(days=days_late), total_cents=cents)
    paid = f.InvoiceFactory(status=InvoiceStatus.PAID, total_cents=5_750_000)
    for days in (5, 40, 70, 100):
        moment = datetime.now(UTC) - timedelta(days)
        f.PaymentFactory(invoice=paid, amount_cents=days * 25000, received_at=moment)
    for source in (RequestSource.QR, RequestSource.QR, RequestSource.PORTAL, RequestSource.PHONE):
        f.ServiceRequestFactory(source=source, unit=unit)
    db.session.commit()
    return techs[0].id, unit.qr_token, mine.id, unit.id


def _looks_right(page, screenshot, label: str) -> None:
    """Every picture shows (each waited for) and nothing scrolls sideways. No wait for the
    network to go idle first: that is half a second of nothing after every page."""
    every_picture_shows(page)
    no_sideways_scroll(page)
    screenshot(label)


def test_the_office_dashboard_shows_the_week_and_its_charts(
    app, live_server, page, make_staff, screenshot, viewport, csp_problems
):
    _walk_in_freezer(app, make_staff)
    dana = make_staff("dispatcher", email="dana@polarbear.test")
    open_signed_in(app, page, live_server, dana, "/admin/")
    assert page.inner_text("#this-week").startswith("Due this week")
    assert page.inner_text("#overdue-heading") == "Overdue"
    assert "$2,072.00" in page.inner_text("section[aria-labelledby=overdue]")
    charts = page.locator("figure.chart svg")
    assert charts.count() == 4
    for n in range(4):
        box = charts.nth(n).bounding_box()
        assert box["width"] > 250 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
    aging = page.get_by_role("img", name="Unpaid invoices by age")
    assert "$7,793" in aging.inner_html() and "$2,851" in aging.inner_html()
    assert (
        "Jenna Kowalski"
        in page.get_by_role("img", name="Work orders per technician this week").inner_html()
    )
    _looks_right(page, screenshot, f"dashboard-{viewport}")
    assert csp_problems == []


def test_a_technician_sees_colleagues_photos_and_uses_the_admin_pages(
    app, live_server, page, make_staff, screenshot, viewport, csp_problems
):
    jenna, token, work_order_id, unit_id = _walk_in_freezer(app, make_staff)
    open_signed_in(app, page, live_server, jenna, "/admin/")
    page.goto(f"{live_server}/u/{token}")
    photos = page.locator(".photos img")
    assert photos.count() == 6
    _looks_right(page, screenshot, f"sticker-{viewport}")
    assert "$89.00" not in page.inner_text("main")  # no line prices for technicians
    headers = page.locator("table.log thead th").all_inner_texts()
    assert headers == ["Date", "Work done", "Added (lb)", "Removed (lb)", "Leak rate"]
    pounds = page.get_by_label("Added (lb)")
    assert pounds.get_attribute("inputmode") == "decimal"
    if viewport == "phone":
        assert pounds.bounding_box()["width"] > 300  # the whole width of the phone's card
    for path, label in (
        ("/admin/workorder/", "work-orders"),
        (f"/admin/workorder/details/?id={work_order_id}", "work-order"),
        (f"/admin/workorder/edit/?id={work_order_id}", "work-order-edit"),
        ("/admin/unit/", "units"),
        (f"/admin/unit/details/?id={unit_id}", "unit"),
    ):
        page.goto(f"{live_server}{path}")
        assert page.url.startswith(f"{live_server}{path.split('?')[0]}"), page.url
        _looks_right(page, screenshot, f"{label}-{viewport}")
    assert csp_problems == []
