"""Print what each main page costs a first-time visitor: bytes over the wire, cold cache.

    .venv/bin/python bench/page_weight.py

Seeds the demo contractor into a scratch SQLite database, serves the app over local HTTP and
opens each page in a fresh headless Chromium context (an empty cache), counting every response's
transferred size (headers and body as sent, compressed or not) and the HTML alone.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch import scratch_app  # noqa: E402
from tests.live_http import served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def session_cookie(app, model, user_id: int) -> str:
    """A signed-in session for `user_id`, made the way the test suite signs clients in."""
    from tests.signed_in import sign_in_client

    client = app.test_client()
    sign_in_client(client, model, user_id)
    return client.get_cookie("session").value


def pages(app) -> dict[str, list[tuple[str, str]]]:
    """Who opens which pages: {cookie or "": [(label, path)]}."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Customer, Invoice, PortalUser, StaffUser, Unit, WorkOrder
    from app.models.enums import StaffRole

    first = db.session.scalars
    dispatcher = first(select(StaffUser).where(StaffUser.role == StaffRole.DISPATCHER)).first()
    customer = first(select(Customer).join(PortalUser).order_by(Customer.id)).first()
    portal_user = first(select(PortalUser).where(PortalUser.customer_id == customer.id)).first()
    order = first(select(WorkOrder).order_by(WorkOrder.id)).first()
    unit = first(select(Unit).order_by(Unit.id)).first()
    invoice = first(select(Invoice).where(Invoice.customer_id == customer.id)).first()
    staff = session_cookie(app, StaffUser, dispatcher.id)
    customer_cookie = session_cookie(app, PortalUser, portal_user.id)
    return {
        staff: [
            ("admin dashboard", "/admin/"),
            ("admin customer list", "/admin/customer/"),
            ("admin work order edit", f"/admin/workorder/edit/?id={order.id}"),
            ("admin dispatch", "/admin/dispatch/"),
            ("technician sticker view", f"/U/{unit.qr_token}"),
        ],
        customer_cookie: [
            ("portal dashboard", "/portal/"),
            ("portal invoices", "/portal/invoices"),
            ("portal invoice", f"/portal/invoices/{invoice.id}" if invoice else "/portal/"),
            ("portal equipment", "/portal/equipment"),
        ],
        "": [
            ("portal sign-in", "/portal/login"),
            ("sticker public form", f"/U/{unit.qr_token}"),
        ],
    }


def weigh(browser, base_url: str, cookie: str, path: str) -> tuple[int, int, int]:
    """(total bytes, HTML bytes, requests) for one cold visit to `path`."""
    context = browser.new_context()
    if cookie:
        context.add_cookies([{"name": "session", "value": cookie, "url": base_url}])
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"{base_url}{path}", wait_until="networkidle")
    total = html = 0
    for request in requests:
        sizes = request.sizes()
        sent = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += sent
        if request.resource_type == "document":
            html += sent
    context.close()
    return total, html, len(requests)


def main() -> None:
    from playwright.sync_api import sync_playwright

    from app.demo import seed_demo
    from app.extensions import db

    with scratch_app() as app:
        seed_demo()
        db.session.commit()
        visits = pages(app)
        with served(app, quiet=True) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            print(f"{'page':28} {'total KiB':>10} {'HTML KiB':>9} {'requests':>8}")
            for cookie, listed in visits.items():
                for label, path in listed:
                    total, html, count = weigh(browser, base_url, cookie, path)
                    print(f"{label:28} {total / 1024:10.1f} {html / 1024:9.1f} {count:8}")
            browser.close()


if __name__ == "__main__":
    main()
