"""The one pager: previous, the first and last page and a window around this one, next; the
same on a portal list and on a hand-paged admin page, and any ?page= shows a real page."""

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.models import Customer
from app.queries import paging
from tests import factories as f
from tests.browser_helpers import no_sideways_scroll, sign_in, sign_in_portal_page
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries

PAGES = 9


@pytest.fixture
def thread(app, monkeypatch):
    """A customer with nine messages and nine service requests, one per page."""
    monkeypatch.setattr(paging, "PER_PAGE", 1)
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory()
        user = f.PortalUserFactory(customer=customer)
        unit = f.UnitFactory(property__customer=customer)
        for n in range(1, PAGES + 1):  # created oldest first: page 1 shows number 9
            f.MessageFactory(customer=db.session.get(Customer, customer.id), body=f"Note {n}.")
            f.ServiceRequestFactory(unit=unit, description=f"Note {n}.")
        return {"customer": customer.id, "user": user.id}


def _pager(response) -> list[str]:
    """The pager as a reader sees it: each entry's text, the current page in brackets."""
    assert response.status_code == 200
    pager = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("nav.pager")
    return [
        f"[{item.get_text(strip=True)}]" if "active" in item["class"] else item.get_text(strip=True)
        for item in pager.select("li")
    ]


WINDOW = ["Previous", "1", "…", "3", "4", "[5]", "6", "7", "…", "9", "Next"]
FIRST = ["[1]", "2", "3", "…", "9", "Next"]
LAST = ["Previous", "1", "…", "7", "8", "[9]"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("5", WINDOW), ("", FIRST), ("two", FIRST), ("-1", FIRST), ("40", LAST)],
)
def test_portal_and_admin_pages_show_the_same_pager(app, client, login_as, thread, typed, expected):
    portal = app.test_client()
    sign_in_portal(portal, thread["user"])
    assert _pager(portal.get(f"/portal/requests?page={typed}")) == expected
    login_as("dispatcher")
    staff_page = client.get(f"/admin/conversations/{thread['customer']}?page={typed}")
    assert _pager(staff_page) == expected
    shown = {"5": "Note 5.", "40": "Note 1."}.get(typed, "Note 9.")
    assert shown in staff_page.get_data(as_text=True)


def test_page_links_keep_the_filters_and_name_their_page(app, client, login_as, thread):
    login_as("dispatcher")
    page = client.get(f"/admin/conversations/{thread['customer']}?page=5").get_data(as_text=True)
    links = BeautifulSoup(page, "html.parser").select("nav.pager a")
    assert [a["href"] for a in links][:2] == [
        f"/admin/conversations/{thread['customer']}?page=4",
        f"/admin/conversations/{thread['customer']}?page=1",
    ]
    assert "Page 5 of 9" in page


def test_the_pager_in_chromium(app, live_server, page, screenshot, make_staff, thread, viewport):
    """On a phone and a desktop, the portal's and the back office's pager fit the screen and
    step through the pages."""
    sign_in_portal_page(app, page, live_server, thread["user"])
    page.goto(f"{live_server}/portal/requests?page=5")
    pager = page.get_by_role("navigation", name="Pages")
    pager.get_by_role("link", name="Next").click()
    page.wait_for_url("**/portal/requests?page=6")
    assert "Note 4." in page.inner_text("main")
    no_sideways_scroll(page)
    screenshot(f"portal-{viewport}")

    page.context.clear_cookies()
    sign_in(app, page, live_server, make_staff, f"/admin/conversations/{thread['customer']}?page=5")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="9").click()
    page.wait_for_url("**?page=9")
    assert "Note 1." in page.inner_text("body")
    screenshot(f"admin-{viewport}")


def test_an_empty_list_is_read_in_one_query(app):
    """A customer with no messages yet: the first page's query finds no rows, and that is the
    whole count (before, a second query asked for the count of nothing)."""
    with app.app_context():
        f.CompanySettingsFactory()
        user_id = f.PortalUserFactory().id
    portal = app.test_client()
    sign_in_portal(portal, user_id)
    portal.get("/portal/messages")
    with counting_queries(app) as statements:
        page = portal.get("/portal/messages")
    assert page.status_code == 200
    assert len([s for s in statements if "FROM messages" in s and "OVER" in s]) == 1
