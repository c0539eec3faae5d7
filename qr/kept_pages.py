"""The sticker page a stranger sees, kept rendered in each web process.

Everyone the session knows nothing about sees the same page for a sticker: the company's name
and phone, the printed code, the empty request form and its signed token (good for
qr.forms.FORM_TOKEN_MAX_AGE, far longer than a page is kept). So it is rendered once per address
and language and sent again for a few seconds (COMPANY_CACHE_SECONDS): a crowd (or a script)
scanning a sticker costs little more than the request itself (issue 16).

A kept page is dropped at once when this process writes any unit (a sticker revoked, reissued or
bound) or takes up newer company settings (a page stands only with the settings copy it was
rendered with); a change made by another process shows within those seconds, and a form posted
from an outdated page is still checked against the database. Never kept: pages offering arrival
windows (every booking changes them), pages for anyone with a session or a remember cookie (a
portal user's form comes filled in, a flash message, a picked language), answers to a POST.
"""

from flask import current_app, g, request, session

from app.i18n import select_locale
from app.kept_pages import KeptPages
from app.services.company import COMPANY_CACHE_SECONDS
from app.table_writes import watch_writes

# At most 500 pages per process (a page is about 4 kB).
PAGES = KeptPages("sticker_pages", seconds=COMPANY_CACHE_SECONDS, most=500)

_unit_writes = watch_writes("units")


def _key() -> tuple[str, str] | None:
    """The page's key (its address and language) for a stranger's GET; None for anyone else."""
    if request.method != "GET" or session:
        return None
    if current_app.config["STAFF_REMEMBER_COOKIE_NAME"] in request.cookies:
        return None
    return request.path, select_locale()


def kept_page() -> str | None:
    """The page kept for this request, or None when it must be rendered (then `keep_page`):
    kept with the settings copy this request gets, and no unit written since."""
    g.sticker_unit_writes = _unit_writes.count  # before the unit is read
    key = _key()
    if key is None:
        return None
    return PAGES.get(key, _unit_writes.count)


def keep_page(html: str) -> None:
    """Keep the page just rendered for this request, when it is a stranger's (app.kept_pages
    decides whether it can be kept at all)."""
    key = _key()
    if key is not None:
        PAGES.keep(key, html, g.sticker_unit_writes)
