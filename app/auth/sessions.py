"""The browser side of a sign-in: what the session cookie holds, the staff remember cookie,
and the checks every request makes (the row still open, not idle too long).

The session cookie (Flask's, signed) holds Flask-Login's user id, the sign-in's random token
and when the browser was last seen (for the idle limit; refreshed at most once a minute so a
busy page does not rewrite the cookie on every request). The sign-in itself lives in the
database (app.services.sign_ins), so ending it there signs out every copy of the cookie.
"""

import time

from flask import Flask, current_app, g, request, session
from flask_login import current_user, login_user, logout_user

from app.extensions import db
from app.models import PortalUser, StaffUser
from app.services.audit import client_address
from app.services.sign_ins import (
    Started,
    end_sign_in,
    lifetimes_for,
    live_sign_in,
    renew_remembered,
    signed_in_user,
    start_sign_in,
)

SIGN_IN_KEY = "sign_in"
SEEN_KEY = "seen"
SEEN_REFRESH_SECONDS = 60


def begin_session(user: StaffUser | PortalUser, *, remember: bool = False) -> None:
    """Sign `user` in on this browser under a new session: nothing the session held before
    sign-in is kept, and the cookie from before sign-in never becomes a signed-in one."""
    session.clear()
    _adopt(user, start_sign_in(user, remember=remember, ip_address=client_address()))


def _adopt(user: StaffUser | PortalUser, started: Started, *, fresh: bool = True) -> None:
    login_user(user, fresh=fresh)
    session[SIGN_IN_KEY] = started.session_token
    session[SEEN_KEY] = int(time.time())
    # Customers stay signed in across browser restarts (up to the idle limit); staff do only
    # with "keep me signed in".
    session.permanent = not user.is_staff
    if started.remember_token:
        # (token, expiry): written onto the response by init_sessions' hook; () deletes it.
        g.remember_cookie = (started.remember_token, started.sign_in.remember_expires_at)


def end_session() -> None:
    """Sign this browser out: its sign-in ends on the server (so copies of the cookie stop
    working too) and both cookies are cleared."""
    if current_user.is_authenticated:
        sign_in = live_sign_in(current_user, session.get(SIGN_IN_KEY))
        if sign_in is not None:
            end_sign_in(sign_in)
    logout_user()
    session.clear()
    _forget_remember_cookie()


def session_user(model: type[StaffUser] | type[PortalUser], user_id: int):
    """The user this request's session is for, when the session is still good: its sign-in
    open and within the absolute limit (user and sign-in read in one query), and the browser
    seen within the idle limit; else None."""
    seen, now = session.get(SEEN_KEY), time.time()
    if not isinstance(seen, int):
        return None
    user = signed_in_user(model, user_id, session.get(SIGN_IN_KEY))
    if user is None or now - seen > lifetimes_for(user).idle.total_seconds():
        return None
    if now - seen >= SEEN_REFRESH_SECONDS:
        session[SEEN_KEY] = int(now)
    return user


def load_remembered_staff(_request) -> StaffUser | None:
    """Flask-Login's request loader: a staff member whose session ran out but whose browser
    holds a valid "keep me signed in" token gets a new session, and a new token."""
    token = request.cookies.get(current_app.config["STAFF_REMEMBER_COOKIE_NAME"])
    if not token:
        return None
    started = renew_remembered(token)
    if started is None:
        # Left alone, not deleted: when two tabs renew at once, the loser's answer must not
        # delete the new token the winner's just set. A dead token only costs a look-up.
        return None
    # Committed here, not by the view: a page that only reads must still keep the new token.
    db.session.commit()
    user = started.sign_in.staff_user
    session.clear()
    _adopt(user, started, fresh=False)
    return user


def _forget_remember_cookie() -> None:
    if current_app.config["STAFF_REMEMBER_COOKIE_NAME"] in request.cookies:
        g.remember_cookie = ()


def init_sessions(app: Flask) -> None:
    """Write the remember cookie a request asked for, after it."""

    @app.after_request
    def write_remember_cookie(response):
        wanted = g.pop("remember_cookie", None)
        if wanted is None:
            return response
        config = app.config
        name = config["STAFF_REMEMBER_COOKIE_NAME"]
        options = {
            "path": "/",
            "secure": config.get("REMEMBER_COOKIE_SECURE", False),
            "httponly": True,
            "samesite": config.get("REMEMBER_COOKIE_SAMESITE", "Lax"),
        }
        if wanted:
            token, expires = wanted
            response.set_cookie(name, token, expires=expires, **options)
        else:
            response.delete_cookie(name, **options)
        return response
