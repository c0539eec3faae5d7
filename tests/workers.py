"""Running the suite in parallel with pytest-xdist (`./dev test` starts workers; `-n 0` runs
it in one process).

Every worker has a database and a Redis database of its own, so workers never see each other's
rows, queues or rate-limit counters: TEST_DATABASE_URL's PostgreSQL database gets a `_gw<n>`
sibling per worker (created if missing), and TEST_REDIS_URL's database number moves down one
per worker, wrapping inside Redis's 16. The variables themselves are rewritten in the worker,
so fixtures, modules that read them at import and the processes tests start all get the
worker's own. On SQLite each worker's database and stored files are in its own temporary
folder already.

Whole modules go to one worker (`--dist loadfile`: a module's fixtures and the seeded demo stay
in one process), the slowest first, so no worker is left with a long one at the end.
"""

import os
from urllib.parse import urlsplit

from sqlalchemy import create_engine, make_url, text

REDIS_DATABASES = 16

# The modules that took longest (pytest --durations=0 on SQLite, three workers, summed by
# module), slowest first; they are handed out before the rest. A module missing here only
# starts later. The hostile-input sweep is two modules so that two workers share it.
SLOWEST_MODULES = (
    "tests/test_hostile_forms.py",
    "tests/test_hostile_input.py",
    "tests/test_migrations.py",
    "tests/test_admin_round_trip.py",
    "tests/test_browser_accessibility.py",
    "tests/test_browser_dashboard_technician.py",
    "tests/test_browser_portal_phone.py",
    "tests/test_route_policy.py",
    "tests/test_browser_job_page_offline.py",
    "tests/test_sticker_sheets.py",
    "tests/test_browser_stories.py",
    "tests/test_browser_portal_pictures.py",
    "tests/test_demo_seed.py",
    "tests/test_admin_page_scan.py",
    "tests/test_browser_quotes.py",
    "tests/test_compliance_pdf_layout.py",
    "tests/test_browser_visit_loop.py",
)


def worker_number(config) -> int | None:
    """This process's number among the xdist workers (gw0 is 0); None outside a worker."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return None
    return int(workerinput["workerid"].removeprefix("gw"))


def use_own_services(config) -> None:
    """In a worker: point TEST_DATABASE_URL and TEST_REDIS_URL at the worker's own."""
    number = worker_number(config)
    if number is None:
        return
    database_url = os.environ.get("TEST_DATABASE_URL")
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        os.environ["TEST_DATABASE_URL"] = _own_database(database_url, number)
    if redis_url := os.environ.get("TEST_REDIS_URL"):
        os.environ["TEST_REDIS_URL"] = _own_redis_database(redis_url, number)


def _own_database(url: str, number: int) -> str:
    """The worker's sibling of the database `url` names, created if it is not there yet."""
    shared = make_url(url)
    own = shared.set(database=f"{shared.database}_gw{number}")
    server = create_engine(shared.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


def _own_redis_database(url: str, number: int) -> str:
    """`url` with its database number moved down by the worker's number, wrapping at 0."""
    parts = urlsplit(url)
    database = (int(parts.path.strip("/") or 0) - number) % REDIS_DATABASES
    return parts._replace(path=f"/{database}").geturl()


def slowest_modules_first(items: list) -> None:
    """Reorder the collected tests so the slowest modules come first, the rest as collected."""
    rank = {module: position for position, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))
