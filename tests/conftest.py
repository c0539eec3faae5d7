"""Shared fixtures.

The suite runs on SQLite by default. With TEST_DATABASE_URL set it runs on that database
(PostgreSQL in CI) instead; with TEST_REDIS_URL set, the job tests use a real RQ worker.

Tests commit for real (a background worker must see what a test wrote), so every table is
emptied after each test that wrote instead of rolling a transaction back (tests/clean_tables.py).
"""

import gc
import os
import sqlite3
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.pool import Pool

from app import create_app
from app.extensions import db, limiter
from app.models import StaffUser
from app.models.enums import StaffRole
from tests.browser_context import KeptContext
from tests.clean_tables import empty_tables_if_written, keep_demo, kept_demo, written_elsewhere
from tests.live_http import served
from tests.row_copies import demo_in_empty_tables
from tests.signed_in import sign_in_client
from tests.workers import slowest_modules_first, use_own_services, worker_number

TEST_PASSWORD = "correct horse battery"


# Net allocations between young-generation collections (Python's default is 700).
ALLOCATIONS_BETWEEN_COLLECTIONS = 10_000


def pytest_configure(config):
    use_own_services(config)
    _collect_garbage_less_often()


def _collect_garbage_less_often() -> None:
    """A test process keeps hundreds of thousands of objects alive (the app, its models,
    SQLAlchemy's statement caches, pytest's reports) and allocates fast, so the default
    thresholds ran a full collection, walking all of them, every few dozen tests. Garbage in
    cycles is still collected, later; anything left is collected at the end of the run, where
    pytest reports what was never closed."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(ALLOCATIONS_BETWEEN_COLLECTIONS, middle, old)


def pytest_collection_finish(session):
    """What collecting imported (the app's modules, the tests) lives to the end of the run:
    frozen out of the collector's reach, no collection walks it again."""
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    if worker_number(config) is not None:
        slowest_modules_first(items)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """Test databases are thrown away: no waiting for the disk on every commit. Every SQLite
    connection in the process, so the migration tests' databases (built by Alembic statement
    by statement, each its own commit) get it as well as the test app's."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()


event.listen(Pool, "connect", _sqlite_without_fsync)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "STORAGE_DIR": str(tmp_path_factory.mktemp("files")),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test that uses the app starts with empty tables (or the untouched demo, for a test
    that asks for `seeded_demo`) and fresh rate-limit counters. Pure tests (no `app` among
    their fixtures) get nothing: the app is not even built for a run of only those."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    if "seeded_demo" not in request.fixturenames:
        with app.app_context():
            empty_tables_if_written(or_demo=True)
    yield
    with app.app_context():
        db.session.rollback()
        empty_tables_if_written()
    limiter.reset()


@pytest.fixture
def seeded_demo(app) -> str:
    """The demo contractor (`flask seed-demo` at scale 1); returns the command's output.

    Seeding takes seconds, so the demo is kept for the next test that asks for it as long as
    nothing writes; a test that changes it is followed by a wipe, and the next one gets the
    demo's rows back from a copy (tests/row_copies.py) rather than seeding again.
    """
    output = kept_demo()
    if output is None:
        with app.app_context():
            output = keep_demo(demo_in_empty_tables(app))
    return output


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database on the backend under test."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"{make_url(url).database}_migrations"
    server = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def make_app(app):
    """Build more apps on the test database and storage, with some settings changed.

    The rate limiter is one object shared by every app (its storage comes from the app that
    was set up last), so afterwards it goes back to the test app's storage.
    """
    made = []

    def make(**overrides):
        other = create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "STORAGE_DIR": app.config["STORAGE_DIR"],
                **overrides,
            }
        )
        made.append(other)
        return other

    yield make
    limiter.reset()
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter.init_app(app)


@pytest.fixture
def app_ctx(app):
    """An app context for tests that work with services and models directly (no test client)."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_staff(app):
    """Create a staff user with a role; returns its id. The password is TEST_PASSWORD."""
    from app.services.staff_accounts import create_staff

    counter = iter(range(1, 10_000))

    def make(role: str | StaffRole = StaffRole.ADMIN, **fields) -> int:
        role = StaffRole(role)
        n = next(counter)
        with app.app_context():
            user = create_staff(
                email=fields.pop("email", f"{role.value}{n}@staff.test"),
                name=fields.pop("name", f"{role.value.title()} {n}"),
                role=role,
                password=TEST_PASSWORD,
            )
            for key, value in fields.items():
                setattr(user, key, value)
            user_id = user.id  # flushed already; after the commit it would be loaded again
            db.session.commit()
            return user_id

    return make


@pytest.fixture
def login_as(client, make_staff):
    """Sign the test client in as a new staff user of `role`; returns the user's id."""

    def login(role: str | StaffRole = StaffRole.ADMIN, **fields) -> int:
        user_id = make_staff(role, **fields)
        sign_in_client(client, StaffUser, user_id)
        return user_id

    return login


CHROMIUM = "/usr/bin/chromium"
# --renderer-process-limit=1: a page's first visit to the test server reuses the renderer its
# context already runs (for its blank page) instead of starting another, about a third of a
# second of CPU each time; contexts never share a renderer.
CHROMIUM_ARGS = [
    "--renderer-process-limit=1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served over real HTTP on a free local port."""
    with served(app) as url:
        yield url


@pytest.fixture
def serve():
    """Serve another app (from make_app) over real HTTP for this test; returns its base URL."""
    with ExitStack() as servers:
        yield lambda other: servers.enter_context(served(other))


@pytest.fixture
def portal_site(make_app, serve) -> tuple:
    """The app with the development mail page on, served over HTTP, its links pointing there."""
    site = make_app(DEV_MAIL_PAGE=True)
    base_url = serve(site)
    site.config["PUBLIC_BASE_URL"] = base_url
    return site, base_url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright.

    Missing browser: skipped with the reason outside CI, a failure in CI
    (TUFFOPS_REQUIRE_BROWSER=1), so CI never passes without running these.
    """
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("TUFFOPS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# In every page before its own scripts: report each Content-Security-Policy violation.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI}`
  + ` at ${e.sourceFile}:${e.lineNumber}`
));
"""


def watch_csp(page) -> list[str]:
    """Start collecting what the Content-Security-Policy blocks on `page` (every page it goes
    to, from the first) and the script errors it reports; returns the live list."""
    problems: list[str] = []
    page.expose_binding("__cspViolation", lambda source, text: problems.append(text))
    page.add_init_script(_REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


@pytest.fixture(scope="session")
def kept_context(browser):
    """The context the `page` fixture's tests take turns in (tests/browser_context.py)."""
    kept = KeptContext(browser)
    yield kept
    kept.discard()


@pytest.fixture
def page(kept_context, request):
    """A new page in the kept context, put back as new afterwards; after a failed test the
    context itself is replaced, so whatever state it failed in cannot reach another test."""
    failures = request.session.testsfailed
    page = kept_context.new_page()
    yield page
    if request.session.testsfailed > failures:
        kept_context.discard()
        return
    try:
        kept_context.reset()
    except Exception:
        kept_context.discard()
        raise


# The screens browser tests run on.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request, page) -> str:
    """Each screen in turn (phone, desktop): the page is set to its size, and its name comes
    back for screenshots."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


# Screenshots cost about a fifth of a browser test's CPU and no test reads them back, so they
# are taken only for a person who asks, into the folder named:
#   TEST_SCREENSHOTS=test-output ./dev test tests/test_browser_stories.py
SCREENSHOTS = os.environ.get("TEST_SCREENSHOTS")


@pytest.fixture
def screenshot(page, request):
    """Save what the browser shows as <TEST_SCREENSHOTS>/<test>-<label>.png (the whole page;
    with `in_view`, also what the screen shows as <test>-<label>-view.png), for a person to
    look at; nothing when TEST_SCREENSHOTS is unset."""

    def take(label: str, *, in_view: bool = False) -> None:
        if not SCREENSHOTS:
            return
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{request.node.name}-{label}"
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        if in_view:
            page.screenshot(path=str(folder / f"{name}-view.png"))

    return take


@pytest.fixture
def csp_problems(page) -> list[str]:
    """What the CSP blocked on the `page` fixture (and script errors); tests end expecting []."""
    return watch_csp(page)


def run_worker_burst(app, redis_url: str) -> None:
    """`flask worker --burst` in a subprocess, configured from the environment like production,
    on `app`'s database and storage."""
    import subprocess
    import sys

    from app.config import BASE_DIR

    written_elsewhere()
    # TUFFOPS_ENV=testing would give the worker TestConfig's private in-memory database.
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "PUBLIC_BASE_URL": app.config["PUBLIC_BASE_URL"],
    }
    env.pop("TUFFOPS_ENV", None)
    worker = subprocess.run(  # noqa: S603  (our own arguments)
        [sys.executable, "-m", "flask", "worker", "--burst"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr


@pytest.fixture
def rq_worker(app, monkeypatch):
    """Jobs go onto a real Redis queue (TEST_REDIS_URL); calling the fixture's value runs
    `flask worker --burst` in a subprocess, configured from the environment like production.

    Without TEST_REDIS_URL the test is skipped with that reason (.ci/run always sets it).
    """
    from app.jobs import queue_for

    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis for a real RQ worker (.ci/run sets it)")
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    queue_for(app).empty()

    return lambda: run_worker_burst(app, redis_url)


@pytest.fixture
def reminder_schedule(app, rq_worker):
    """The RQ schedule's reminder runs, removed again after the test (a later worker must not
    find one due)."""
    from app.jobs import queue_for
    from app.reminder_jobs import JOB_PREFIX

    registry = queue_for(app).scheduled_job_registry
    yield registry
    for job_id in registry.get_job_ids():
        if job_id.startswith(JOB_PREFIX):
            registry.remove(job_id, delete_job=True)


@pytest.fixture(scope="session")
def stripe_server():
    """A Stripe-compatible API on localhost (tests/stripe_server.py), for the whole run."""
    from tests.stripe_server import StripeServer

    with StripeServer() as stripe:
        yield stripe


@pytest.fixture
def fake_stripe(app, stripe_server, monkeypatch):
    """The app's Stripe settings pointed at the local server, which starts each test empty."""
    from tests.stripe_server import API_KEY, WEBHOOK_SECRET

    stripe_server.reset()
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", API_KEY)
    monkeypatch.setitem(app.config, "STRIPE_PUBLISHABLE_KEY", "pk_test_tuffops")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_server.base_url)
    return stripe_server
