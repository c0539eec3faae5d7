"""What the hostile-input tests share (tests/test_hostile_forms.py, tests/test_hostile_input.py):
the values an attacker would send, the failures they collect, and the visitors and entry pages
the demo contractor offers. No input may make a 500.
"""

from collections.abc import Callable

from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.demo.cli import demo_portal_users
from app.extensions import db
from app.models import BlankSticker, Unit
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
INVALID_UTF8 = "%FF%FE%C0%AF"


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


def demo_entry_points(app) -> dict:
    """With the demo seeded: a unit's and a new blank sticker's tokens and the portal household,
    which the walks start from."""
    with app.app_context():
        unit = db.session.scalars(select(Unit).order_by(Unit.id)).first()
        blank = BlankSticker()
        db.session.add(blank)
        db.session.commit()
        # The household the demo prints has something in every portal section at any hour;
        # the first portal user may not (the demo's dates are relative to now).
        household = dict(demo_portal_users())["two properties"]
        return {"unit": unit.qr_token, "blank": blank.token, "portal_user": household.id}


def signed_in_as(client, user_key: str | None) -> Callable[[], None]:
    """Before each request: the client in `user_key`'s signed-in session (none: anonymous)."""
    kept = KeptSignIn(client.application, user_key)
    return lambda: kept.put_on(client)


def audiences(app, client, make_staff, demo) -> dict[str, tuple[Callable[[], None], list[str]]]:
    """Each visitor (anonymous, a portal customer, an admin): what puts the client in their
    session before a request, and the pages a walk starts from."""
    admin = make_staff("admin")
    admin_pages = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin/") and not rule.arguments and "GET" in rule.methods
    )
    admin_starts = list(dict.fromkeys(["/admin/", *admin_pages]))  # the dashboard first, once
    return {
        "anonymous": (
            signed_in_as(client, None),
            ["/", "/auth/login", "/portal/login", f"/u/{demo['unit']}", f"/u/{demo['blank']}"],
        ),
        "portal": (signed_in_as(client, f"portal:{demo['portal_user']}"), ["/portal/"]),
        "admin": (
            signed_in_as(client, f"staff:{admin}"),
            [*admin_starts, f"/u/{demo['unit']}", f"/u/{demo['blank']}"],
        ),
    }


def endpoint_of(adapter, path: str, method: str) -> str | None:
    """The endpoint `path` reaches with `method`, if any."""
    try:
        return adapter.match(path, method=method.upper())[0]
    except HTTPException:
        return None
