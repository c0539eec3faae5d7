"""Staff sign-in (password, then the second factor when there is one), sign-out, and the
staff member's own account page."""

import math
import time
from functools import wraps

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import CodeForm, StaffLoginForm
from app.auth.redirects import safe_next, to_sign_in
from app.auth.roles import current_staff
from app.auth.sessions import begin_session, end_session
from app.extensions import db, limiter
from app.models import StaffUser
from app.models.base import utcnow
from app.services.audit import client_address
from app.services.sign_ins import sign_out_everywhere
from app.services.staff_auth import (
    AccountPaused,
    authenticate_staff,
    check_not_paused,
    record_sign_in,
    second_factor_failed,
)
from app.services.two_factor import (
    confirm_enrolment,
    enrolment_qr,
    recovery_codes_left,
    start_enrolment,
    two_factor_required,
    verify_second_factor,
)

# Between a right password and the second factor: who, for how long, and where to go next.
PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 5 * 60


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _paused(paused: AccountPaused, template: str, **context):
    """The page again with a message saying when to try again (429)."""
    db.session.commit()
    minutes = max(1, math.ceil((paused.until - utcnow()).total_seconds() / 60))
    flash(
        ngettext(
            "Too many failed sign-ins for this account. Try again in %(num)s minute.",
            "Too many failed sign-ins for this account. Try again in %(num)s minutes.",
            minutes,
        ),
        "error",
    )
    return render_template(template, **context), 429


def staff_only(view):
    """A page for signed-in staff; anyone else goes to the staff sign-in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            return to_sign_in()
        return view(*args, **kwargs)

    return wrapped


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = StaffLoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate_staff(
                form.email.data, form.password.data, ip_address=client_address()
            )
        except AccountPaused as paused:
            return _paused(paused, "auth/login.html", form=form)
        next_page = safe_next(request.args.get("next"), url_for("admin.index"))
        if user is None:
            db.session.commit()
            flash(_("That e-mail and password do not match an active account."), "error")
        elif user.two_factor_enabled or two_factor_required(user):
            session.clear()
            session[PENDING_KEY] = {
                "id": user.id,
                "remember": bool(form.remember.data),
                "next": next_page,
                "at": int(time.time()),
            }
            db.session.commit()
            step = "auth.second_factor" if user.two_factor_enabled else "auth.enrol_at_sign_in"
            return redirect(url_for(step))
        else:
            return _finish_sign_in(user, remember=form.remember.data, next_page=next_page)
    return render_template("auth/login.html", form=form)


def _finish_sign_in(user: StaffUser, *, remember: bool, next_page: str):
    record_sign_in(user, ip_address=client_address())
    begin_session(user, remember=remember)
    db.session.commit()
    return redirect(next_page)


def _pending_user() -> StaffUser | None:
    """The staff member who gave the right password a moment ago, if still active."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, pending.get("id"))
    return user if user is not None and user.is_active else None


def _start_again():
    session.pop(PENDING_KEY, None)
    flash(_("Please sign in again."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor():
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None or not user.two_factor_enabled:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            check_not_paused(user.email)
        except AccountPaused as paused:
            return _paused(paused, "auth/second_factor.html", form=form)
        if verify_second_factor(user, form.code.data, ip_address=client_address()):
            pending = session[PENDING_KEY]
            return _finish_sign_in(user, remember=pending["remember"], next_page=pending["next"])
        second_factor_failed(user, ip_address=client_address())
        db.session.commit()
        flash(_("That code is not right. Try the newest code in your app."), "error")
    return render_template("auth/second_factor.html", form=form)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol_at_sign_in():
    """Staff the company requires to use two-factor sign-in set it up before they get in."""
    user = _pending_user()
    if user is None or user.two_factor_enabled:
        return _start_again()
    codes, form = _enrolment(user)
    if codes is None:
        return render_template(
            "auth/two_factor_setup.html", form=form, qr=enrolment_qr(user), user=user
        )
    pending = session[PENDING_KEY]
    _finish_sign_in(user, remember=pending["remember"], next_page=pending["next"])
    return render_template("auth/recovery_codes.html", codes=codes, next_page=pending["next"])


@bp.route("/account/two-factor", methods=["GET", "POST"])
@staff_only
def enrol():
    """A signed-in staff member turns on two-factor sign-in."""
    user = current_staff()
    if user.two_factor_enabled:
        return redirect(url_for("auth.account"))
    codes, form = _enrolment(user)
    if codes is None:
        return render_template(
            "auth/two_factor_setup.html", form=form, qr=enrolment_qr(user), user=user
        )
    db.session.commit()
    return render_template(
        "auth/recovery_codes.html", codes=codes, next_page=url_for("auth.account")
    )


def _enrolment(user: StaffUser) -> tuple[list[str] | None, CodeForm]:
    """The enrolment step both pages share: a secret to scan, then the first code confirms
    it; returns the recovery codes once it is on (None until then)."""
    form = CodeForm()
    if form.validate_on_submit():
        codes = confirm_enrolment(user, form.code.data, actor=user)
        if codes is not None:
            return codes, form
        flash(_("That code is not right. Try the newest code in your app."), "error")
    start_enrolment(user)
    db.session.commit()
    return None, form


@bp.post("/logout")
@login_required
def logout():
    return _signed_out(_("You are signed out."))


@bp.post("/logout/everywhere")
@staff_only
def logout_everywhere():
    """End every sign-in of the signed-in staff member, on every device, this one included."""
    sign_out_everywhere(current_user, actor=current_user)
    return _signed_out(_("You are signed out on every device."))


def _signed_out(message: str):
    """End this browser's session, commit what led to it, and say so on the sign-in page."""
    end_session()
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@staff_only
def account():
    """The signed-in staff member's own security: two-factor sign-in, signing out everywhere."""
    user = current_staff()
    return render_template(
        "auth/account.html",
        codes_left=recovery_codes_left(user) if user.two_factor_enabled else 0,
        required=two_factor_required(user),
    )
