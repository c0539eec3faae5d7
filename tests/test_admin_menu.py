"""The back office's menu lists what its reader may open, in their language, with the open page
marked, however many others drew the same page's menu before (admin/menu.py keeps it)."""

from bs4 import BeautifulSoup

from app.models import StaffUser
from app.models.enums import StaffRole
from tests.helpers import EXPECTED_ACCESS, staff_views
from tests.signed_in import sign_in_client

PAGE = "/admin/customer/"


def _menu(client, language: str = "en") -> BeautifulSoup:
    page = client.get(PAGE, headers={"Accept-Language": language})
    assert page.status_code == 200
    return BeautifulSoup(page.data, "html.parser").select_one("ul.navbar-nav.mr-auto")


def _listed(menu) -> set[str]:
    """The pages the menu links to, without their trailing slash."""
    return {a["href"].rstrip("/") for a in menu.select("a[href^='/admin/']")}


def test_each_role_gets_its_own_menu_after_another_drew_it(app, make_staff):
    menus = {}
    for role in ("admin", "technician", "admin", "dispatcher"):
        client = app.test_client()
        sign_in_client(client, StaffUser, make_staff(role))
        menus[role] = _listed(_menu(client))
    urls = {view.endpoint: view.url.rstrip("/") for view in staff_views(app)}
    for role, listed in menus.items():
        may_open = {urls[endpoint] for endpoint, roles in EXPECTED_ACCESS.items() if role in roles}
        assert listed & {urls[endpoint] for endpoint in EXPECTED_ACCESS} == may_open, role
    assert "/admin/staffuser" in menus["admin"] and "/admin/staffuser" not in menus["dispatcher"]


def test_the_menu_speaks_the_readers_language_and_marks_the_open_page(app, make_staff):
    client = app.test_client()
    sign_in_client(client, StaffUser, make_staff(StaffRole.ADMIN))
    english, spanish, english_again = _menu(client), _menu(client, "es"), _menu(client)
    assert str(english) == str(english_again)
    assert english.get_text() != spanish.get_text()
    active = spanish.select_one(".dropdown-item.active")
    assert active["href"] == PAGE and active.get_text(strip=True) == "Clientes"
