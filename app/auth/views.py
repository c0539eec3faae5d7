from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from app.auth import bp
from app.auth.forms import StaffLoginForm
from app.auth.redirects import safe_next
from app.extensions import db, limiter
from app.services.audit import client_address
from app.services.staff_auth import authenticate_staff


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = StaffLoginForm()
    if form.validate_on_submit():
        user = authenticate_staff(form.email.data, form.password.data, ip_address=client_address())
        db.session.commit()
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("admin.index")))
        flash(_("That e-mail and password do not match an active account."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
