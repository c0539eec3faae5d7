"""Settings production refuses to start with: a guessable SECRET_KEY, a PUBLIC_BASE_URL without TLS,
rate limits kept in each process's memory.

Checked once, when the app is built, so a bad deploy stops at start instead of serving forgeable
sessions or sending sign-in links over plain HTTP.
"""

from urllib.parse import urlsplit

from app.config import DEV_SECRET_KEY

MIN_SECRET_KEY_BYTES = 32
SECRET_KEY_RECIPE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105  (a command, not a key)
# Values copied from tutorials and sample configs; any of them signs cookies an attacker can forge.
WELL_KNOWN_SECRETS = frozenset(
    {
        DEV_SECRET_KEY,
        "secret",
        "secret-key",
        "secret_key",
        "secretkey",
        "mysecret",
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "dev",
        "development",
        "test",
        "testing",
        "password",
        "default",
        "flask",
        "tuffops",
        "your-secret-key",
        "your_secret_key",
        "super-secret",
        "supersecret",
        "super-secret-key",
        "please-change-me",
        "not-so-secret",
    }
)


class UnsafeProductionSettings(RuntimeError):
    """The app was asked to run in production with a setting that makes it unsafe."""


def secret_key_problem(secret_key: str | bytes | None) -> str | None:
    """Why this SECRET_KEY is too weak for production, or None when it will do."""
    if not secret_key:
        return "SECRET_KEY is not set."
    raw = secret_key.encode() if isinstance(secret_key, str) else secret_key
    normalised = raw.decode(errors="replace").strip().lower()
    if normalised in WELL_KNOWN_SECRETS:
        return "SECRET_KEY is a well-known value (the development default or a sample one)."
    if len(raw) < MIN_SECRET_KEY_BYTES:
        return f"SECRET_KEY is {len(raw)} bytes long; it must be at least {MIN_SECRET_KEY_BYTES}."
    if len(set(raw)) < 8:
        return "SECRET_KEY repeats a few characters; it must be random."
    return None


def public_base_url_problem(url: str | None) -> str | None:
    """Why this PUBLIC_BASE_URL cannot be used in production, or None when it is https."""
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.netloc:
        return (
            f"PUBLIC_BASE_URL must be an https:// address (it is {url!r}): sign-in links, "
            "status links and QR stickers point there."
        )
    return None


def rate_limit_storage_problem(config) -> str | None:
    """Why the rate limits would not hold across processes, or None when they are shared."""
    if config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL"):
        return None
    return (
        "Rate limits would be counted in memory, separately in every process: set "
        "RATELIMIT_STORAGE_URI (or REDIS_URL) to a shared store such as redis://host:6379/0."
    )


def refuse_unsafe_production_settings(config) -> None:
    """Raise UnsafeProductionSettings, saying what to change, when production settings are weak."""
    problems = []
    if problem := secret_key_problem(config.get("SECRET_KEY")):
        problems.append(f"{problem} Make one with: {SECRET_KEY_RECIPE}")
    if problem := public_base_url_problem(config.get("PUBLIC_BASE_URL")):
        problems.append(problem)
    if problem := rate_limit_storage_problem(config):
        problems.append(problem)
    if problems:
        raise UnsafeProductionSettings(
            "TuffOps will not start in production (TUFFOPS_ENV=production):\n- "
            + "\n- ".join(problems)
        )
