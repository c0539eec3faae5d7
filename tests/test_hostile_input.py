"""No route argument, query string, header or JSON body makes a 500: each fed what an attacker
would send, to every route (from app.url_map, so a new route is covered by itself) and every
entry page, as an anonymous visitor, a portal customer and an admin on the seeded demo. The
forms are tests/test_hostile_forms.py's. Runs on whatever database the suite runs on (SQLite,
or PostgreSQL with TEST_DATABASE_URL).
"""

import re
from urllib.parse import quote, urlsplit

import pytest

from tests.hostile import (
    HOSTILE,
    INVALID_UTF8,
    LONG,
    NUL,
    ODD_DATES,
    TWENTY_DIGITS,
    Failures,
    audiences,
    demo_entry_points,
    endpoint_of,
    signed_in_as,
)

PATH_VALUES = (quote(NUL), TWENTY_DIGITS, "1e309", "0", "-1", "x" * 3000, INVALID_UTF8, *ODD_DATES)


@pytest.fixture
def demo(app, seeded_demo) -> dict:
    return demo_entry_points(app)


def _path_with(rule, argument: str, value: str) -> str:
    def fill(match):
        return value if match.group(1) == argument else "1"

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def test_every_route_argument_survives_hostile_values(app, client, make_staff, demo):
    failures = Failures()
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "static" not in r.endpoint]
    sent = 0
    for sign_in, _ in audiences(app, client, make_staff, demo).values():
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
    for sign_in, starts in audiences(app, client, make_staff, demo).values():
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
            endpoint = endpoint_of(adapter, urlsplit(path).path, "get") or ""
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


def test_admin_record_pages_with_ids_past_the_integer_range_are_not_errors(app, client, make_staff):
    """Edit and details pages of every admin view, with an id no integer column holds: a 404
    or a redirect to the list with a message, never a 500 (on PostgreSQL the id would
    overflow the query)."""
    signed_in_as(client, f"staff:{make_staff('admin')}")()
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
