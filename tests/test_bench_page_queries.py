"""Every page bench/portal_speed.py measures runs the same number of SQL statements whatever the
size of the data (issue 16: speed stays in bench/, but the query count is guarded here).

Each page is opened by the same people as in the benchmark, on the demo (scale 1, the suite's
kept copy) and on the demo seeded again at scale 2 (twice the customers, work orders,
invoices)."""

from sqlalchemy import select, text

from app.extensions import db
from app.models import PortalUser, StaffUser
from bench.speed_pages import (
    ANONYMOUS,
    HOUSEHOLD,
    PAGES,
    PORTAL_USER_SQL,
    STAFF_LOGINS,
    STICKER_SQL,
)
from tests.query_count import counting_queries
from tests.signed_in import sign_in_client


def _clients(app) -> tuple[dict, str]:
    """A client per kind of visitor (signed in where it needs to be), and the sticker token."""
    clients = {ANONYMOUS: app.test_client()}
    with app.app_context():
        users = {
            who: db.session.scalar(
                select(PortalUser).where(PortalUser.email == db.session.scalar(text(sql)))
            )
            for who, sql in PORTAL_USER_SQL.items()
        }
        users |= {
            who: db.session.scalar(select(StaffUser).where(StaffUser.email == email))
            for who, (email, _password) in STAFF_LOGINS.items()
        }
        keys = {who: (type(user), user.id) for who, user in users.items()}
        sticker = db.session.scalar(text(STICKER_SQL), {"email": users[HOUSEHOLD].email})
    for who, (model, user_id) in keys.items():
        clients[who] = app.test_client()
        sign_in_client(clients[who], model, user_id)
    return clients, sticker


def _page_queries(app) -> dict[str, int]:
    """{page label: SQL statements run to serve it}, after one warm-up request each: the fewer
    of two requests, since a cache that lapses by the clock (company settings) costs one of them
    a query now and then."""
    clients, sticker = _clients(app)
    counts = {}
    for page in PAGES:
        client, path = clients[page.who], page.path.format(sticker=sticker)
        assert client.get(path).status_code == 200, page
        runs = []
        for _ in range(2):
            with counting_queries(app) as statements:
                assert client.get(path).status_code == 200, page
            runs.append(len(statements))
        counts[page.label] = min(runs)
    return counts


def test_every_benchmarked_page_runs_as_many_queries_at_twice_the_data(app, seeded_demo):
    small = _page_queries(app)
    reseeded = app.test_cli_runner().invoke(args=["seed-demo", "--reset", "--scale", "2"])
    assert reseeded.exit_code == 0, reseeded.output
    large = _page_queries(app)
    assert large == small
