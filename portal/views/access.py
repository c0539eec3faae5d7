"""Signing into the portal: ask for a link by e-mail, open it, press "Sign in"; sign out."""

import hashlib

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from app.auth.sessions import begin_session, end_session
from app.extensions import db, limiter
from app.services.audit import client_address
from app.services.portal_access import LinkError, find_link, redeem_link, request_login_link
from app.services.sign_ins import sign_out_everywhere
from portal import bp
from portal.auth import current_portal_user, portal_login_required, portal_next
from portal.forms import LoginLinkForm, SignInForm


def _link_limit() -> str:
    return current_app.config["PORTAL_LINK_RATE_LIMIT"]


def _link_limit_per_email() -> str:
    return current_app.config["PORTAL_LINK_RATE_LIMIT_PER_EMAIL"]


def _typed_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _email_key() -> str:
    """The limit's key for the address typed, known or not (hashed: limiter keys are no place
    for customers' addresses)."""
    return "portal-link:" + hashlib.sha256(_typed_email().encode()).hexdigest()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_link_limit, methods=["POST"])
@limiter.limit(
    _link_limit_per_email,
    key_func=_email_key,
    methods=["POST"],
    exempt_when=lambda: not _typed_email(),
)
def login():
    if current_portal_user() is not None:
        return redirect(portal_next(request.args.get("next")))
    form = LoginLinkForm()
    if form.validate_on_submit():
        request_login_link(form.email.data, ip_address=client_address())
        db.session.commit()
        return render_template("portal/link_sent.html", email=form.email.data)
    return render_template("portal/login.html", form=form)


@bp.route("/link/<token>", methods=["GET", "POST"])
def open_link(token: str):
    """GET shows a "Sign in" button; only the POST uses the link up."""
    form = SignInForm()
    try:
        link = find_link(token)
        if form.validate_on_submit():
            user = redeem_link(token, ip_address=client_address(), language=str(get_locale()))
            begin_session(user)
            db.session.commit()
            return redirect(portal_next(form.next.data))
    except LinkError as error:
        db.session.rollback()
        return render_template("portal/link_invalid.html", message=str(error)), 410
    form.next.data = request.args.get("next", "")
    return render_template("portal/sign_in.html", form=form, user=link.portal_user)


@bp.post("/logout")
def logout():
    end_session()
    db.session.commit()
    return redirect(url_for("portal.login", signed_out=1))


@bp.post("/logout/everywhere")
@portal_login_required
def logout_everywhere():
    """End every sign-in of the signed-in customer, on every device, this one included."""
    user = current_portal_user()
    sign_out_everywhere(user, actor=user)
    end_session()
    db.session.commit()
    return redirect(url_for("portal.login", signed_out=1))
