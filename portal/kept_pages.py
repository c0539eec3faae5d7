"""Portal pages kept rendered for whoever saw them, while nothing they show has changed.

A portal page shows one customer's rows to one signed-in person, and people open the same
pages again and again (the home page after each step, the invoices while paying). So a page
shown on a GET is kept under who asked (the sign-in behind the session, and the session's form
token that its forms carry), what they asked for (the address with its query, the language)
and the customer's `portal_version` as it was read with the signed-in user, before the page
read anything. Every write to a row of that customer moves the version in the same transaction
(app.customer_changes), so a page rendered before a change is never sent after it: a payment,
an answer from the office or a new visit shows on the very next page, whichever process wrote it.

Pages are kept for a few seconds at most (COMPANY_CACHE_SECONDS): that bounds what is not a
customer's row (a technician's name, which day it is) and a change made with SQL outside the
application. A page stands only with the company settings copy it was rendered with. Never
kept: a page with a flash message waiting (showing it uses it up), a page that used the
request's script nonce, a page answering a POST, and anything a view returns other than a page.
"""

from functools import wraps

from flask import current_app, request, session
from flask_babel import get_locale

from app.auth.sessions import SIGN_IN_KEY
from app.kept_pages import KeptPages
from app.services.company import COMPANY_CACHE_SECONDS
from app.transactions import SHOWING
from portal.auth import current_portal_user

# At most 300 pages per process (a page is 10–40 kB).
PAGES = KeptPages("portal_pages", seconds=COMPANY_CACHE_SECONDS, most=300)


def _key(version: int) -> tuple | None:
    """What this request's page is kept under; None when it is not to be kept."""
    if request.method not in SHOWING or "_flashes" in session:
        return None
    user = current_portal_user()
    form_token = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    return (
        user.id,
        session.get(SIGN_IN_KEY),
        form_token,
        request.full_path,
        str(get_locale()),
        version,
    )


def kept_while_unchanged(view):
    """Send the page kept for this request when there is one; else show it and keep it. Goes
    inside `portal_login_required` (it needs the signed-in user)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        version = current_portal_user().customer.portal_version  # before the page reads
        key = _key(version)
        if key is None:
            return view(*args, **kwargs)
        page = PAGES.get(key)
        if page is not None:
            return page
        page = view(*args, **kwargs)
        key = _key(version)  # the session's form token may be new
        if isinstance(page, str) and key is not None:
            PAGES.keep(key, page)
        return page

    return wrapper
