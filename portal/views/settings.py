"""The portal user's own settings: which properties they get appointment e-mails about."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField

from app.extensions import db
from app.services.notification_preferences import (
    appointment_emails_by_property,
    set_appointment_emails,
)
from portal import bp
from portal.auth import current_portal_user, portal_login_required


class NotificationSettingsForm(FlaskForm):
    # One checkbox per property, valued by its id; ticked: e-mails about its visits.
    appointment_emails = SelectMultipleField(_l("Appointment e-mails"), coerce=int)


@bp.route("/settings/notifications", methods=["GET", "POST"])
@portal_login_required
def notification_settings():
    user = current_portal_user()
    choices = appointment_emails_by_property(user)
    form = NotificationSettingsForm()
    form.appointment_emails.choices = [(prop.id, prop.name) for prop, _on in choices]
    if form.validate_on_submit():
        set_appointment_emails(user, set(form.appointment_emails.data))
        db.session.commit()
        flash(_("Your e-mail settings are saved."))
        return redirect(url_for("portal.notification_settings"))
    if not form.is_submitted():
        form.appointment_emails.data = [prop.id for prop, on in choices if on]
    return render_template("portal/notification_settings.html", form=form, choices=choices)
