"""Portal pages that only show read outside a database transaction (app/transactions.py; issue 16:
PostgreSQL then plans each query once per connection instead of on every request), while
everything that changes something still runs in one, all or nothing."""

from sqlalchemy import event

from app.extensions import db
from tests import factories as f
from tests.browser_forms import form_on
from tests.portal_helpers import sign_in_portal


def _isolation_per_statement(app, action) -> list:
    """The isolation level each SQL statement of `action()` ran with ("AUTOCOMMIT" or None,
    the engine's usual transaction)."""
    seen = []

    def note(conn, *args):
        seen.append(conn.get_execution_options().get("isolation_level"))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_portal_pages_read_outside_a_transaction_and_changes_keep_theirs(app, client):
    with app.app_context():
        f.CompanySettingsFactory()
        user = f.PortalUserFactory().id
    sign_in_portal(client, user)
    home = []
    shown = _isolation_per_statement(app, lambda: home.append(client.get("/portal/")))
    assert home[0].status_code == 200
    assert shown and set(shown) == {"AUTOCOMMIT"}

    sign_out = form_on(home[0], "form[action='/portal/logout']")
    changed = _isolation_per_statement(app, lambda: sign_out.submit(client))
    assert changed and set(changed) == {None}  # the same pooled connection, back in its mode
    assert client.get("/portal/").status_code == 302  # signed out: the change was committed
