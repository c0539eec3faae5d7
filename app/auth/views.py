from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import StaffLoginForm
from app.auth.redirects import safe_next
from app.auth.sessions import begin_session, end_session
from app.extensions import db, limiter
from app.services.audit import client_address
from app.services.sign_ins import sign_out_everywhere
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
            begin_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("admin.index")))
        flash(_("That e-mail and password do not match an active account."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session()
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """End every sign-in of the signed-in staff member, on every device, this one included."""
    sign_out_everywhere(current_user, actor=current_user)
    end_session()
    db.session.commit()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    """The signed-in staff member's own security: two-factor sign-in, signing out everywhere."""
    if not getattr(current_user, "is_staff", False):
        abort(404)
    return render_template("auth/account.html")
