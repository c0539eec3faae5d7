"""The TuffOps application factory."""

import os

from flask import Flask, abort, redirect, render_template, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import import_string

from app import customer_changes  # noqa: F401  (its session events move portal versions)
from app.compression import init_compression
from app.config import BASE_DIR, INSTANCE_DIR, MAX_REMEMBER_DAYS, config_for
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.formatting import company_time_zone, register_filters
from app.i18n import LANGUAGES, select_locale
from app.input_guard import ControlCharacters, init_input_guard
from app.labels import register_filters as register_label_filters
from app.logs import configure_logging
from app.models.people import STAFF_PHOTO_FOLDER, StaffUser
from app.pool_checks import check_connections_on_checkout
from app.production_settings import refuse_unsafe_production_settings
from app.route_policy import enforce_route_policy
from app.security_headers import init_security_headers
from app.services.company import current_company
from app.static_urls import init_static_urls
from app.storage import path_for
from app.thumbnails import init_app as register_thumbnails

# Surfaces built on the core, registered by name so app/ never imports them.
BLUEPRINTS = ("app.auth:bp", "app.i18n:bp", "app.webhooks:bp", "qr:bp", "portal:bp")
ADMIN_INIT = "admin:init_admin"
# Every outgoing e-mail, login links included: registered only when DEV_MAIL_PAGE is on.
DEV_MAIL_BLUEPRINT = "app.dev_mail:bp"
# Modules whose import registers background job bodies (see app.jobs.job_body).
JOB_MODULES = ("reports",)
# Commands from those surfaces, added next to app.cli's.
CLI_COMMANDS = ("reports.cli:stickers_command", "reports.cli:compliance_report_command")
ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500)


def create_app(config_overrides: dict | None = None) -> Flask:
    """Build a configured TuffOps app."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    load_config(app, config_overrides or {})
    trust_proxies(app)
    init_input_guard(app)
    init_extensions(app)
    init_static_urls(app)
    init_compression(app)
    init_security_headers(app)
    register_blueprints(app)
    import_string(ADMIN_INIT)(app)
    enforce_route_policy(app)
    for name in JOB_MODULES:
        import_string(name)
    register_cli(app)
    register_error_handlers(app)
    configure_logging(app)  # last: it reads the finished URL map
    return app


def load_config(app: Flask, overrides: dict) -> None:
    """Config class from TUFFOPS_ENV, then overrides; production refuses weak settings (a
    guessable SECRET_KEY, plain HTTP, rate limits each process would count on its own)."""
    app.config.from_object(config_for(overrides.get("ENV_NAME") or os.environ.get("TUFFOPS_ENV")))
    app.config.update(overrides)
    if app.config["ENV_NAME"] == "production":
        refuse_unsafe_production_settings(app.config)
    limits = app.config.get("RATELIMIT_STORAGE_URI") or app.config["REDIS_URL"]
    app.config["RATELIMIT_STORAGE_URI"] = limits or "memory://"
    if app.config["STAFF_REMEMBER_DAYS"] > MAX_REMEMBER_DAYS:
        raise RuntimeError(f"STAFF_REMEMBER_DAYS must be {MAX_REMEMBER_DAYS} or less.")


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address and scheme from the headers
    they add (X-Forwarded-For, X-Forwarded-Proto); with none, those headers mean nothing."""
    count = app.config["TRUSTED_PROXIES"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def init_extensions(app: Flask) -> None:
    """Bind the extension objects created in app.extensions."""
    from app.auth.loader import load_user
    from app.auth.sessions import init_sessions, load_remembered_staff

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            check_connections_on_checkout(engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_remembered_staff)
    init_sessions(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=company_time_zone)
    app.jinja_env.globals.update(get_locale=get_locale, languages=LANGUAGES)
    register_filters(app)
    register_label_filters(app)
    register_thumbnails(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    """The staff sign-in pages and every surface listed in BLUEPRINTS."""
    for name in BLUEPRINTS:
        app.register_blueprint(import_string(name))
    if app.config["DEV_MAIL_PAGE"] and app.config["ENV_NAME"] != "production":
        app.register_blueprint(import_string(DEV_MAIL_BLUEPRINT))

    @app.context_processor
    def inject_company():
        return {"company": current_company()}

    @app.get("/brand/logo")
    def brand_logo():
        """The company logo (public: it is on every public page)."""
        company = current_company()
        if not company.logo_key:
            abort(404)
        return send_file(path_for(company.logo_key), max_age=3600)

    @app.get("/team/<photo>")
    def team_photo(photo: str):
        """A technician's portrait (public: the "on the way" e-mail shows it). Its address
        carries the stored file's random name, so portraits cannot be listed by counting."""
        key = f"{STAFF_PHOTO_FOLDER}/{photo}"
        if not db.session.scalar(select(StaffUser.id).where(StaffUser.photo_key == key)):
            abort(404)
        return send_file(path_for(key), max_age=3600)

    @app.get("/")
    def home():
        """Signed-in staff go to the back office; everyone else sees where to sign in."""
        if getattr(current_user, "is_staff", False):
            return redirect(url_for("admin.index"))
        return render_template("landing.html")


def register_cli(app: Flask) -> None:
    """flask seed-demo and friends, and every command listed in CLI_COMMANDS."""
    from app.cli import commands

    for command in (*commands, *map(import_string, CLI_COMMANDS)):
        app.cli.add_command(command)


def register_error_handlers(app: Flask) -> None:
    """Plain, friendly pages for the errors a user can cause."""

    def page(status: int, kind: int | str):
        def handler(error):
            if status == 500:
                db.session.rollback()
            return render_template("errors/error.html", kind=kind), status

        return handler

    for status in ERROR_PAGES:
        app.register_error_handler(status, page(status, status))
    app.register_error_handler(CSRFError, page(400, "csrf"))
    app.register_error_handler(ControlCharacters, page(400, "control"))
