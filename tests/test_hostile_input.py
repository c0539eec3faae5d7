"""No input makes a 500: every form and every route argument, fed what an attacker would send.

The forms are the ones a browser finds: the demo is seeded, then the pages are walked from
their entry points as an anonymous visitor, a portal customer and an admin (one page per
endpoint), and every form found (one per endpoint and set of fields: the same form on
another record's page is the same code) is sent with hostile values, all fields at once and
then field by field. Route arguments come from app.url_map, so a new route is covered by itself.
Runs on whatever database the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL).
"""

import copy
import re
from collections import deque
from collections.abc import Callable
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.demo.cli import demo_portal_users
from app.extensions import db
from app.models import BlankSticker, Unit
from tests.browser_forms import BrowserForm, forms_on
from tests.signed_in import KeptSignIn

NUL = "a\x00b"
TWENTY_DIGITS = "9" * 20
LONG = "x" * 5000
ODD_DATES = ("2026-02-30", "0000-00-00", "99999-01-01")
# Every value, sent to every field at once.
HOSTILE = (
    NUL,
    "a\x1b[31mb\x7f",
    TWENTY_DIGITS,
    "-" + TWENTY_DIGITS,
    "1e309",
    "NaN",
    LONG,
    *ODD_DATES,
    "2026-02-30 to 0000-00-00",
)
# Field by field, the values that reach past one field's validation into the database.
BY_KIND = {
    "date": (*ODD_DATES, TWENTY_DIGITS),
    "number": (TWENTY_DIGITS, "1e309", "-1"),
    "text": (LONG, TWENTY_DIGITS),
}
INVALID_UTF8 = "%FF%FE%C0%AF"
PATH_VALUES = (quote(NUL), TWENTY_DIGITS, "1e309", "0", "-1", "x" * 3000, INVALID_UTF8, *ODD_DATES)
# Forms and links that end the session the walk depends on.
SESSION_ENDING = {"auth.logout", "portal.logout"}


class Failures(list):
    """Every 5xx or exception seen, reported together at the end."""

    def send(self, what: str, call: Callable):
        try:
            response = call()
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001  (the test collects every crash)
            self.append(f"{what}: {type(error).__name__}: {str(error)[:300]}")
            return None
        response.get_data()  # read (a file download included) and let go of it
        response.close()
        if response.status_code >= 500:
            self.append(f"{what}: {response.status_code}")
        return response


@pytest.fixture
def demo(app, seeded_demo):
    """The demo contractor, plus what the walk starts from."""
    with app.app_context():
        unit = db.session.scalars(select(Unit).order_by(Unit.id)).first()
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        # The household the demo prints has something in every portal section at any hour;
        # the first portal user may not (the demo's dates are relative to now).
        household = dict(demo_portal_users())["two properties"]
        return {"unit": unit.qr_token, "blank": blank.token, "portal_user": household.id}


def _as(client, user_key: str | None) -> Callable[[], None]:
    """Before each request: the client in `user_key`'s signed-in session (none: anonymous)."""
    kept = KeptSignIn(client.application, user_key)
    return lambda: kept.put_on(client)


def _audiences(app, client, make_staff, demo):
    admin = make_staff("admin")
    admin_pages = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin/") and not rule.arguments and "GET" in rule.methods
    )
    admin_starts = list(dict.fromkeys(["/admin/", *admin_pages]))  # the dashboard first, once
    return {
        "anonymous": (
            _as(client, None),
            ["/", "/auth/login", "/portal/login", f"/u/{demo['unit']}", f"/u/{demo['blank']}"],
        ),
        "portal": (_as(client, f"portal:{demo['portal_user']}"), ["/portal/"]),
        "admin": (
            _as(client, f"staff:{admin}"),
            [*admin_starts, f"/u/{demo['unit']}", f"/u/{demo['blank']}"],
        ),
    }


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
        for form in forms_on(response):
            form_path = urlsplit(form.action).path
            form_endpoint = _endpoint(adapter, form_path, form.method)
            fields = tuple(sorted({name for name, _ in form.fields}))
            if form_endpoint not in SESSION_ENDING:
                forms.setdefault((form.method, form_endpoint or form_path, fields), form)
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for link in soup.find_all("a", href=True):
            target = urlsplit(urljoin(page_url, link["href"]))
            if target.hostname == "localhost":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return list(forms.values())


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        return adapter.match(path, method=method.upper())[0]
    except HTTPException:
        return None


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
    for audience, (sign_in, starts) in _audiences(app, client, make_staff, demo).items():
        forms = _walk(app, client, sign_in, starts, failures)
        tried[audience] = (len(forms), sum(_fuzz_form(client, sign_in, f, failures) for f in forms))
    assert failures == [], "\n".join(failures)
    # The walk found what it exists for: the sticker and sign-in forms, the portal's forms and
    # the admin's create, edit, search and action forms.
    assert tried["anonymous"][0] >= 3, tried
    assert tried["portal"][0] >= 8, tried
    assert tried["admin"][0] >= 60, tried


def _path_with(rule, argument: str, value: str) -> str:
    def fill(match):
        return value if match.group(1) == argument else "1"

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def test_every_route_argument_survives_hostile_values(app, client, make_staff, demo):
    failures = Failures()
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "static" not in r.endpoint]
    sent = 0
    for sign_in, _ in _audiences(app, client, make_staff, demo).values():
        for rule in rules:
            for argument in sorted(rule.arguments):
                for value in PATH_VALUES:
                    url = _path_with(rule, argument, value)
                    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                        sign_in()
                        failures.send(
                            f"{method} {url[:120]}",
                            lambda u=url, m=method: client.open(u, method=m),
                        )
                        sent += 1
    assert failures == [], "\n".join(failures)
    assert len(rules) > 20 and sent > 1000


def test_query_strings_headers_and_json_bodies_survive_hostile_values(
    app, client, make_staff, demo
):
    """Every page opened with hostile query arguments (the names its links use, and Flask-Admin's
    filters), hostile headers, and a JSON body where one is read."""
    failures = Failures()
    adapter = app.url_map.bind("localhost")
    sent = 0
    for sign_in, starts in _audiences(app, client, make_staff, demo).values():
        for position, path in enumerate(starts):
            names = {
                "page",
                "page_size",
                "sort",
                "desc",
                "search",
                "q",
                "id",
                "next",
                "url",
                "unit_id",
                "property_id",
                "work_order",
                "day",
                "date",
                "month",
                "from",
                "to",
                "status",
                "kind",
                "customer_id",
                "flt0_0",
                "lang",
            }
            endpoint = _endpoint(adapter, urlsplit(path).path, "get") or ""
            for admin_view in app.extensions["admin"][0]._views:
                if endpoint.startswith(f"{admin_view.endpoint}."):
                    filters = getattr(admin_view, "_filter_args", None) or {}
                    names |= {f"flt0_{key}" for key in filters}
            for value in HOSTILE:
                sign_in()
                query = dict.fromkeys(names, value)
                failures.send(
                    f"GET {path}?*={value[:20]!r}",
                    lambda p=path, q=query: client.get(p, query_string=q),
                )
                sent += 1
            sign_in()
            failures.send(
                f"GET {path}?{INVALID_UTF8}",
                lambda p=path: client.get(
                    f"{p}?q={INVALID_UTF8}&search={INVALID_UTF8}&next={INVALID_UTF8}"
                ),
            )
            headers = ("User-Agent", "Accept-Language", "Referer", "X-Forwarded-For")
            for header in headers if position < 5 else ():  # the entry pages: headers are read
                for value in (NUL, LONG, "1e309", "*;q=1e309, es;q=NaN"):  # the same everywhere
                    sign_in()
                    failures.send(
                        f"GET {path} {header}={value[:20]!r}",
                        lambda p=path, h=header, v=value: client.get(p, headers={h: v}),
                    )
                    sent += 1
    for path in ("/stripe/webhook", "/portal/login", "/login"):
        for body in ({"id": NUL}, {"a": [LONG, {"b": "\u0000"}]}, ["1e309"]):
            failures.send(f"POST {path} json", lambda p=path, b=body: client.post(p, json=b))
    assert failures == [], "\n".join(failures)
    assert sent > 200


def test_a_control_character_gets_a_page_that_says_so(client, demo):
    response = client.post(f"/u/{demo['unit']}", data={"description": "no heat\x00"})
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert client.get("/portal/login?next=%00").status_code == 400
    assert client.get("/portal/login?next=line%0Abreak%09tab").status_code != 400


def test_admin_record_pages_with_ids_past_the_integer_range_are_not_errors(app, client, make_staff):
    """Edit and details pages of every admin view, with an id no integer column holds: a 404
    or a redirect to the list with a message, never a 500 (on PostgreSQL the id would
    overflow the query)."""
    _as(client, f"staff:{make_staff('admin')}")()
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/") and rule.endpoint.endswith(
            (".edit_view", ".details_view")
        ):
            for value in (TWENTY_DIGITS, "-" + TWENTY_DIGITS, "1e309", "0"):
                response = client.get(rule.rule, query_string={"id": value})
                assert response.status_code in (302, 404), (rule.rule, value)
            checked += 1
    assert checked > 40
