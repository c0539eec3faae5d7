"""Settings from the environment (and an optional .env file), with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"

load_dotenv(BASE_DIR / ".env")

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  (refused in production)
MAX_REMEMBER_DAYS = 30


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _database_url(url: str) -> str:
    """Accept the common postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    # "development" (the embedded demo), "production" or "testing".
    ENV_NAME = _env("TUFFOPS_ENV", "development")
    # Signs sessions and CSRF tokens; production refuses to start with the development value.
    SECRET_KEY = _env("SECRET_KEY", DEV_SECRET_KEY)
    # Werkzeug's method for new staff password hashes (app/passwords.py); slow on purpose.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105
    # Any SQLAlchemy URL; PostgreSQL in production, SQLite under instance/ by default.
    SQLALCHEMY_DATABASE_URI = _database_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tuffops.sqlite3'}")
    )
    # No pool_pre_ping (a round trip on every request): app/pool_checks.py replaces a connection
    # the server closed by looking at its socket instead.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Unset: jobs run in-process, rate limits live in memory. Set: RQ queue, limiter storage.
    REDIS_URL = _env("REDIS_URL")
    # The address links in e-mails and QR stickers point at, without a trailing slash.
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Uploaded and generated files (photos, documents, PDFs); never under static/.
    STORAGE_DIR = _env("STORAGE_DIR", str(INSTANCE_DIR / "files"))
    # Largest accepted upload, in bytes.
    MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_BYTES", str(16 * 1024 * 1024)))
    # Largest picture accepted, in pixels (read from the file's header before decoding it);
    # 24 MP is more than any phone photo, and about 100 MB once decoded.
    MAX_IMAGE_PIXELS = int(_env("MAX_IMAGE_PIXELS", str(24_000_000)))
    # How many pictures one process decodes at the same time (the rest wait their turn); each
    # takes up to about 120 MB while it is decoded.
    IMAGE_DECODES_AT_ONCE = int(_env("IMAGE_DECODES_AT_ONCE", "1"))
    # How many proxies (TLS terminators, load balancers) stand in front of the app. Each one adds
    # itself to X-Forwarded-For; the client address (rate limits, audit trail) and the scheme
    # are read from that many entries. 0 trusts no header: anyone can send one.
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))

    # How much the log says: DEBUG, INFO, WARNING or ERROR (to stderr, secrets redacted).
    LOG_LEVEL = _env("LOG_LEVEL", "INFO").upper()

    # Outgoing mail: SMTP when MAIL_SERVER is set; otherwise kept for the development mail page.
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = int(_env("MAIL_PORT", "587"))
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "true").lower() == "true"
    MAIL_FROM = _env("MAIL_FROM", "TuffOps <office@example.com>")
    # /dev/mail lists every message in the outbox (login links included): development only.
    DEV_MAIL_PAGE = ENV_NAME == "development"

    # Stripe: secret key for the API, publishable key for the browser, webhook signing secret.
    STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY")
    STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET")
    # Point the Stripe client somewhere else (a local test server); unset means Stripe itself.
    STRIPE_API_BASE = _env("STRIPE_API_BASE")

    # Where rate limits are counted; unset: REDIS_URL, else memory (refused in production).
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI")
    # Rate limits while REDIS_URL is set but Redis cannot be reached: each process keeps
    # counting in its own memory (limits stay on, just not shared), rather than letting every
    # request through or refusing them all.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2}
    # Staff login attempts allowed per client address.
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Failed sign-ins allowed per staff e-mail address (from any client) before each further
    # one makes the account wait: 1 minute, then doubling up to the maximum.
    STAFF_LOGIN_FREE_ATTEMPTS = int(_env("STAFF_LOGIN_FREE_ATTEMPTS", "5"))
    STAFF_LOGIN_MAX_DELAY_MINUTES = int(_env("STAFF_LOGIN_MAX_DELAY_MINUTES", "60"))
    # Signed-in sessions end after this long without a request (idle) or since sign-in (max).
    STAFF_SESSION_IDLE_HOURS = float(_env("STAFF_SESSION_IDLE_HOURS", "12"))
    STAFF_SESSION_MAX_HOURS = float(_env("STAFF_SESSION_MAX_HOURS", "24"))
    PORTAL_SESSION_IDLE_DAYS = float(_env("PORTAL_SESSION_IDLE_DAYS", "7"))
    PORTAL_SESSION_MAX_DAYS = float(_env("PORTAL_SESSION_MAX_DAYS", "30"))
    # Staff "keep me signed in": days a sign-in may renew its session (30 at most).
    STAFF_REMEMBER_DAYS = float(_env("STAFF_REMEMBER_DAYS", "30"))
    STAFF_REMEMBER_COOKIE_NAME = "tuffops_remember"
    # The portal's session cookie outlives the browser (staff's does not); it is renewed
    # whenever the session changes, which includes the "last seen" time once a minute of use,
    # so this is the customers' idle limit as the browser sees it.
    PERMANENT_SESSION_LIFETIME = timedelta(days=PORTAL_SESSION_IDLE_DAYS)
    # Not re-signed and re-sent on every page (Flask's default for lasting sessions): the
    # minute's "last seen" already renews it, and a page shown twice in a minute has nothing new.
    SESSION_REFRESH_EACH_REQUEST = False
    # Public sticker requests: per client address, and per unit whoever sends them.
    QR_RATE_LIMIT_PER_ADDRESS = _env("QR_RATE_LIMIT_PER_ADDRESS", "5 per 10 minutes;20 per day")
    QR_RATE_LIMIT_PER_UNIT = _env("QR_RATE_LIMIT_PER_UNIT", "10 per hour;30 per day")
    # Looking up a sticker by its typed label code, per client address.
    QR_LOOKUP_RATE_LIMIT = _env("QR_LOOKUP_RATE_LIMIT", "20 per hour")

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    # Portal login-link requests per client address.
    PORTAL_LINK_RATE_LIMIT = _env("PORTAL_LINK_RATE_LIMIT", "5 per 15 minutes;20 per day")
    # ... and per e-mail address typed, from anywhere (on file or not: the answer is the same).
    PORTAL_LINK_RATE_LIMIT_PER_EMAIL = _env(
        "PORTAL_LINK_RATE_LIMIT_PER_EMAIL", "3 per 15 minutes;10 per day"
    )
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; a long form must not expire
    FLASK_ADMIN_FLUID_LAYOUT = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for the whole
    # site (Path=/) and for this host only (no Domain): no subdomain can set or shadow them.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    STAFF_REMEMBER_COOKIE_NAME = "__Host-tuffops_remember"
    PREFERRED_URL_SCHEME = "https"
    DEV_MAIL_PAGE = False


class TestConfig(Config):
    """Whatever the shell exports (or .env holds), the suite runs on these: settings that
    reach outside the process or change what pages say are fixed here, not read from there."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    REDIS_URL = None
    MAIL_SERVER = MAIL_USERNAME = MAIL_PASSWORD = None
    MAIL_FROM = "TuffOps <office@example.com>"
    STRIPE_SECRET_KEY = STRIPE_PUBLISHABLE_KEY = STRIPE_WEBHOOK_SECRET = STRIPE_API_BASE = None
    TRUSTED_PROXIES = 0
    DEV_MAIL_PAGE = False  # the tests that need the page build an app with it on
    # Tests that check CSRF switch it on for themselves; the rest post forms directly.
    WTF_CSRF_ENABLED = False
    # Generous, so only the tests that lower them meet them.
    LOGIN_RATE_LIMIT = "1000 per minute"
    QR_RATE_LIMIT_PER_ADDRESS = QR_RATE_LIMIT_PER_UNIT = QR_LOOKUP_RATE_LIMIT = "1000 per minute"
    PORTAL_LINK_RATE_LIMIT = PORTAL_LINK_RATE_LIMIT_PER_EMAIL = "1000 per minute"
    STAFF_LOGIN_FREE_ATTEMPTS = 1000
    RATELIMIT_STORAGE_URI = "memory://"
    # One round of PBKDF2: the suite makes hundreds of staff users and scrypt costs ~0.2 s each.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # noqa: S105


def config_for(env_name: str | None) -> type[Config]:
    """The config class for TUFFOPS_ENV."""
    return {"production": ProductionConfig, "testing": TestConfig}.get(env_name or "", Config)
