"""No form makes a 500: every form a browser finds, fed what an attacker would send.

The demo is seeded, then the pages are walked from their entry points as an anonymous visitor,
a portal customer and an admin (one page per endpoint), and every form found (one per endpoint
and set of fields: the same form on another record's page is the same code) is sent with
hostile values, all fields at once and then field by field. Route arguments, query strings and
headers are tests/test_hostile_input.py's. Runs on whatever database the suite runs on (SQLite,
or PostgreSQL with TEST_DATABASE_URL).
"""

import copy
from collections import deque
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import HTTPException

from tests.browser_forms import BrowserForm, forms_on
from tests.hostile import (
    HOSTILE,
    INVALID_UTF8,
    LONG,
    ODD_DATES,
    TWENTY_DIGITS,
    Failures,
    audiences,
    demo_entry_points,
    endpoint_of,
)

# Field by field, the values that reach past one field's validation into the database.
BY_KIND = {
    "date": (*ODD_DATES, TWENTY_DIGITS),
    "number": (TWENTY_DIGITS, "1e309", "-1"),
    "text": (LONG, TWENTY_DIGITS),
}
# Forms and links that end the session the walk depends on.
SESSION_ENDING = {"auth.logout", "portal.logout"}


@pytest.fixture
def demo(app, seeded_demo) -> dict:
    return demo_entry_points(app)


def _walk(app, client, sign_in, starts, failures) -> list[BrowserForm]:
    """Open one page per endpoint reachable by links from `starts`; the forms on them."""
    adapter = app.url_map.bind("localhost")
    queue, seen, forms = deque(starts), set(), {}
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        try:
            endpoint, _ = adapter.match(parts.path, method="GET")
        except HTTPException:
            continue
        if endpoint in seen or endpoint in SESSION_ENDING or endpoint.endswith("static"):
            continue
        seen.add(endpoint)
        sign_in()
        response = failures.send(f"GET {url}", lambda url=url: client.get(url))
        if response is None or response.mimetype != "text/html":
            continue
        page_url = response.request.url
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for form in forms_on(soup, page_url):
            form_path = urlsplit(form.action).path
            form_endpoint = endpoint_of(adapter, form_path, form.method)
            fields = tuple(sorted({name for name, _ in form.fields}))
            if form_endpoint not in SESSION_ENDING:
                forms.setdefault((form.method, form_endpoint or form_path, fields), form)
        for link in soup.find_all("a", href=True):
            target = urlsplit(urljoin(page_url, link["href"]))
            if target.hostname == "localhost":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return list(forms.values())


def _kind(form: BrowserForm, name: str) -> str:
    control = form.element.find(attrs={"name": name})
    kind = (control.get("type") or "").lower() if control is not None else ""
    if kind.startswith("date") or "date" in name or name.endswith("_at"):
        return "date"
    if (
        kind in ("number", "hidden", "checkbox", "radio")
        or control is None
        or (control.name == "select")
    ):
        return "number"
    return "text"


def _with(form: BrowserForm, values: dict) -> BrowserForm:
    changed = copy.copy(form)
    changed.fields = [(k, values.get(k, v)) if k in values else (k, v) for k, v in form.fields]
    return changed


def _fuzz_form(client, sign_in, form: BrowserForm, failures) -> int:
    """Send `form` with hostile values; returns how many requests it took. A request is never
    sent twice: a form with nothing to fill in goes once as it is, and a form's only field
    gets the field-by-field values the all-at-once requests did not already send it."""
    names = sorted({k for k, v in form.fields if k != "csrf_token" and not isinstance(v, tuple)})
    where = f"{form.method.upper()} {urlsplit(form.action).path}"
    sent: set[tuple] = set()

    def send(what: str, values: dict) -> None:
        request = tuple(sorted(values.items()))
        if request in sent:
            return
        sent.add(request)
        sign_in()
        failures.send(f"{where} {what}", lambda: _with(form, values).submit(client))

    for value in HOSTILE:
        send(f"all={value[:20]!r}", dict.fromkeys(names, value))
    for name in names:
        for value in BY_KIND[_kind(form, name)]:
            send(f"{name}={value[:20]!r}", {name: value})
    if form.method == "post" and not form.multipart and names:
        body = urlencode([(k, v) for k, v in form.fields if not isinstance(v, tuple)])
        body += "".join(f"&{quote(name)}={INVALID_UTF8}" for name in names)
        sign_in()
        failures.send(
            f"{where} invalid UTF-8",
            lambda: client.post(
                urlsplit(form.action).path,
                data=body,
                content_type="application/x-www-form-urlencoded",
            ),
        )
        return len(sent) + 1
    return len(sent)


def test_every_form_on_every_page_survives_hostile_values(app, client, make_staff, demo):
    failures = Failures()
    tried = {}
    for audience, (sign_in, starts) in audiences(app, client, make_staff, demo).items():
        forms = _walk(app, client, sign_in, starts, failures)
        tried[audience] = (len(forms), sum(_fuzz_form(client, sign_in, f, failures) for f in forms))
    assert failures == [], "\n".join(failures)
    # The walk found what it exists for: the sticker and sign-in forms, the portal's forms and
    # the admin's create, edit, search and action forms.
    assert tried["anonymous"][0] >= 3, tried
    assert tried["portal"][0] >= 8, tried
    assert tried["admin"][0] >= 60, tried


def test_a_control_character_gets_a_page_that_says_so(client, demo):
    response = client.post(f"/u/{demo['unit']}", data={"description": "no heat\x00"})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert client.get("/portal/login?next=%00").status_code == 400
    assert client.get("/portal/login?next=line%0Abreak%09tab").status_code != 400
