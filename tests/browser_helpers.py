"""Chromium tests' shared steps: the phone and desktop viewports, signing in, Tess on her phone,
page width, pictures that load and the axe scan."""

from datetime import UTC, datetime

from axe_playwright_python.base import AXE_SCRIPT

from app.models import PortalUser, StaffUser
from tests.conftest import TEST_PASSWORD, VIEWPORTS
from tests.signed_in import sign_in_client

__all__ = ["VIEWPORTS"]  # the screens, for tests that check a width against them


# Tess Tech, the technician whose phone the job tests hold, signs in with this address.
TESS = "tess@polarbear.test"


def tess_on_her_phone(page, make_staff, **fields) -> int:
    """Tess Tech, a technician (`fields` adds to her record), and the page at a phone's size;
    her id."""
    page.set_viewport_size(VIEWPORTS["phone"])
    return make_staff("technician", name="Tess Tech", email=TESS, **fields)


def sign_in_as(page, live_server, email: str, path: str) -> None:
    """Open `path` and sign in as staff member `email` through the sign-in form it asks for,
    landing on `path`. For the tests of signing in; the others use `open_signed_in`."""
    page.goto(f"{live_server}{path}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}{path}")


def sign_in_page(app, page, site: str, model: type[StaffUser | PortalUser], user_id: int) -> None:
    """Give the browser the session cookie of staff or portal user `user_id`, signed in by a
    test client of `app`: a page load, a post and two redirects fewer than the sign-in form,
    which the tests of signing in still go through (`sign_in_as`)."""
    client = app.test_client()
    sign_in_client(client, model, user_id)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site}])


def sign_in_portal_page(app, page, live_server, user_id: int) -> None:
    """Give the browser the session cookie of portal user `user_id`."""
    sign_in_page(app, page, live_server, PortalUser, user_id)


def open_signed_in(app, page, site: str, staff_id: int, path: str) -> None:
    """Open `path` signed in as staff member `staff_id` (`sign_in_page`)."""
    sign_in_page(app, page, site, StaffUser, staff_id)
    page.goto(f"{site}{path}")
    assert page.url == f"{site}{path}", page.url


def sign_in(app, page, site: str, make_staff, path: str) -> None:
    """Open `path` signed in as a new dispatcher."""
    email = f"dana{datetime.now(UTC).timestamp()}@polarbear.test"
    dana = make_staff("dispatcher", email=email, name="Dana Dispatcher")
    open_signed_in(app, page, site, dana, path)


def draw_signature(page) -> None:
    """Draw a zigzag stroke across the signature pad with the mouse."""
    box = page.locator("[data-signature-pad] canvas").bounding_box()
    left, top = box["x"] + 20, box["y"] + box["height"] * 0.7
    page.mouse.move(left, top)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(left + step * 12, top - 40 * ((step % 6) / 5), steps=2)
    page.mouse.up()


def no_sideways_scroll(page) -> None:
    """Nothing sticks out sideways: the page is no wider than the viewport. Measured once the
    page has loaded: right after a form's answer shows its message at the top, the rest of the
    page may not be laid out yet, and a half-parsed page is narrower than the whole."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def every_picture_shows(page) -> None:
    """Every <img> on the page loads and shows a picture. Lazy ones load once they come near
    the viewport, so each is scrolled to and waited for; the page is back at the top after."""
    broken = page.evaluate(
        """async () => {
            for (const img of document.images) {
                img.scrollIntoView({block: "center"});
                await img.decode().catch(() => null);
            }
            window.scrollTo(0, 0);
            return [...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src);
        }"""
    )
    assert broken == [], broken


BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one line per element.
    axe (half a megabyte of script) goes into the page once; a page scanned again, at another
    screen size, reuses it."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run({resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]
