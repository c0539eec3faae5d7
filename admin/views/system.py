"""Staff accounts, the company's settings, background jobs and the audit trail."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import flash, url_for
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms import PasswordField
from wtforms.validators import DataRequired, Email, NumberRange, Regexp, ValidationError

from admin.base import SignOutEverywhereAction, StaffModelView, refusal_as_form_error, stored_upload
from admin.formatting import words_column
from app.auth.roles import current_staff
from app.extensions import db
from app.jobs import job_label, retry
from app.models import Job, StaffUser
from app.models.enums import JobStatus, TwoFactorPolicy
from app.models.people import STAFF_PHOTO_FOLDER
from app.services.audit import changes_of, record
from app.services.availability import BadArrivalWindows, parse_arrival_windows
from app.services.refrigerant_ledger import EventError, apply_part84_reading
from app.services.staff_accounts import staff_account_changed, validate_password
from app.services.two_factor import reset_two_factor
from app.storage import save_image

# The logo sits in a 40 px high header; twice that keeps it sharp on phones and small on the wire.
LOGO_SIDE = 160
# A portrait beside a first name in an e-mail: 96 px shown, twice that for sharp phones.
PORTRAIT_SIDE = 192


def portrait(person: StaffUser) -> Markup:
    """The person's photo as customers see it, or nothing when none is set."""
    if not person.photo_key:
        return Markup("")
    return Markup('<img src="{}" alt="" width="96" height="96">').format(
        url_for("team_photo", photo=person.photo_name)
    )


class StaffUserView(SignOutEverywhereAction, StaffModelView):
    area = "staff"
    menu_category = _l("Settings")
    column_list = (
        "name",
        "email",
        "role",
        "active",
        "epa_certification_number",
        "two_factor_enabled_at",
        "last_login_at",
    )
    column_labels = {
        "photo_key": _l("Photo"),
        "epa_certification_number": _l("EPA 608 certification"),
        "two_factor_enabled_at": _l("Two-factor sign in since"),
    }
    column_searchable_list = ("name", "email", "epa_certification_number")
    column_filters = ("role", "active", "last_login_at")
    column_sortable_list = ("name", "email", "role", "last_login_at", "created_at")
    form_columns = (
        "name",
        "email",
        "phone",
        "role",
        "epa_certification_number",
        "active",
        "photo",
        "new_password",
    )
    form_extra_fields = {
        "photo": FileField(_l("Photo (customers see it when you are on the way)")),
        "new_password": PasswordField(_l("New password")),
    }
    form_args = {"email": {"validators": [DataRequired(), Email()]}}
    column_details_list = (*form_columns[:-2], "photo_key", "last_login_at", "created_at")
    column_formatters = {"photo_key": lambda _v, _c, model, _n: portrait(model)}

    def validate_model(self, model) -> None:
        model.email = model.email.strip().lower()

    def on_model_change(self, form, model, is_created: bool) -> None:
        password = form.new_password.data
        if password:
            with refusal_as_form_error(ValueError):
                validate_password(password)
            model.set_password(password)
        elif is_created:
            raise ValidationError(_("Set a password for the new account."))
        if form.photo.data:
            portrait = stored_upload(
                save_image, form.photo.data, folder=STAFF_PHOTO_FOLDER, max_side=PORTRAIT_SIDE
            )
            model.photo_key = portrait.key
        changes = changes_of(model)
        super().on_model_change(form, model, is_created)
        if not is_created:
            staff_account_changed(model, changes, password_changed=bool(password))

    @action(
        "reset_two_factor",
        _l("Reset two-factor sign in"),
        _l(
            "Remove the selected people's authenticator app and recovery codes, and sign them "
            "out? They set it up again at their next sign-in when the company requires it."
        ),
    )
    def action_reset_two_factor(self, ids):
        self.change_selected(
            ids, reset_two_factor, _("Two-factor sign in reset for %(num)s people.")
        )


def _valid_time_zone(form, field) -> None:
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Use a time zone name like America/Chicago.")) from None


def _valid_arrival_windows(form, field) -> None:
    with refusal_as_form_error(BadArrivalWindows):
        parse_arrival_windows(field.data or "")


class CompanySettingsView(StaffModelView):
    """One row of settings; it can be created once and never deleted."""

    area = "settings"
    menu_category = _l("Settings")
    allow_delete = False
    column_default_sort = None
    column_sortable_list = ()
    column_list = ("name", "phone", "email", "time_zone", "tax_rate_percent", "currency")
    form_columns = (
        "name",
        "phone",
        "email",
        "address",
        "time_zone",
        "brand_color",
        "tax_rate_percent",
        "currency",
        "part84_first_calculation_365_days",
        "two_factor_required",
        "sticker_unit_text",
        "arrival_windows",
        "booking_days_ahead",
        "booking_notice_hours",
        "portal_self_booking",
        "reminder_hours_before",
        "quiet_hours_start",
        "quiet_hours_end",
        "sticker_booking",
        "tentative_hold_minutes",
        "technicians_may_price",
        "free_lines_allowed",
        "invoice_at_once",
        "invoice_due_days",
        "logo",
    )
    column_labels = {
        "tax_rate_percent": _l("Tax rate (%)"),
        "two_factor_required": _l("Two-factor sign in required for"),
        "part84_first_calculation_365_days": _l(
            "Part 84 appliances installed in 2026 or later: first leak-rate calculation uses "
            "365 days (literal reading of 84.106(b)(1)) instead of the days since installation "
            "(conservative, the default)"
        ),
        "sticker_unit_text": _l(
            "Print the unit's name and property on its sticker (small text beside the code)"
        ),
        "arrival_windows": _l("Arrival windows offered to customers"),
        "booking_days_ahead": _l("Days ahead customers may book"),
        "booking_notice_hours": _l("Notice a booking needs (hours)"),
        "portal_self_booking": _l("Customers book an open window themselves in the portal"),
        "reminder_hours_before": _l("Remind customers of a visit (hours before)"),
        "quiet_hours_start": _l("No reminder e-mails from"),
        "quiet_hours_end": _l("No reminder e-mails until"),
        "sticker_booking": _l(
            "Anyone at a sticker books an open window (tentative until the office confirms)"
        ),
        "tentative_hold_minutes": _l("Release a tentative visit not confirmed within (minutes)"),
        "technicians_may_price": _l("Technicians may set the price of a line"),
        "free_lines_allowed": _l("Lines not in the price book may be added"),
        "invoice_at_once": _l(
            "Issue a completed job's invoice at once (otherwise the office reviews it first)"
        ),
        "invoice_due_days": _l("Invoices from jobs are due after (days)"),
    }
    column_descriptions = {
        "arrival_windows": _l("Local times, separated by commas: 08:00-10:00, 10:00-12:00"),
        "quiet_hours_end": _l(
            "Company time; a reminder due in the quiet hours waits until they end. The same "
            "time twice: no quiet hours."
        ),
    }
    form_args = {
        "email": {"validators": [DataRequired(), Email()]},
        "time_zone": {"validators": [DataRequired(), _valid_time_zone]},
        "brand_color": {
            "validators": [Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Use a colour like #0b5cad."))]
        },
        "tax_rate_percent": {"validators": [NumberRange(min=0, max=30)]},
        "currency": {"validators": [Regexp(r"^[A-Z]{3}$", message=_l("Use a code like USD."))]},
        "arrival_windows": {"validators": [DataRequired(), _valid_arrival_windows]},
        "booking_days_ahead": {"validators": [NumberRange(min=1, max=365)]},
        "booking_notice_hours": {"validators": [NumberRange(min=0, max=24 * 30)]},
        "reminder_hours_before": {"validators": [NumberRange(min=1, max=24 * 7)]},
        "tentative_hold_minutes": {"validators": [NumberRange(min=5, max=7 * 24 * 60)]},
        "invoice_due_days": {"validators": [NumberRange(min=0, max=365)]},
    }

    form_choices = {
        "two_factor_required": [
            (TwoFactorPolicy.NOBODY.value, _l("Nobody (each person may turn it on)")),
            (TwoFactorPolicy.ADMINS_AND_MANAGERS.value, _l("Admins and managers")),
            (TwoFactorPolicy.EVERYONE.value, _l("Everyone")),
        ]
    }
    form_extra_fields = {"logo": FileField(_l("Logo (shown on public pages; kept small)"))}
    column_details_list = (*form_columns[:-1], "logo_key")

    @property
    def can_create(self) -> bool:
        return super().can_create and self.get_count_query().scalar() == 0

    def on_model_change(self, form, model, is_created: bool) -> None:
        if form.logo.data:
            logo = stored_upload(save_image, form.logo.data, folder="brand", max_side=LOGO_SIDE)
            model.logo_key = logo.key
        reading_changed = "part84_first_calculation_365_days" in changes_of(model)
        super().on_model_change(form, model, is_created)
        if reading_changed and not is_created:
            with refusal_as_form_error(EventError):
                count = apply_part84_reading()
            flash(_("Leak rates recomputed for %(num)s appliances.", num=count), "info")


def _progress(view, context, model, name) -> Markup:
    return Markup(
        '<div class="progress" style="min-width:8rem"><div class="progress-bar" role="progressbar"'
        ' style="width:{0}%" aria-valuenow="{0}" aria-valuemin="0" aria-valuemax="100">{0}%'
        "</div></div>"
    ).format(model.progress)


def _kind(view, context, model, name) -> str:
    return job_label(model.kind)


def _params(view, context, model, name) -> str:
    """What the job was asked to do, in words: "sign off id: 12"."""
    return ", ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in sorted((model.params or {}).items())
    )


def _result(view, context, model, name) -> Markup | str:
    if model.status == JobStatus.FINISHED and model.result_key:
        href = url_for("staff_files.job_result", job_id=model.id)
        links = [Markup('<a href="{}">{}</a>').format(href, model.result_filename)]
        for number, extra in enumerate(model.extra_files or [], start=1):
            href = url_for("staff_files.job_extra_file", job_id=model.id, number=number)
            links.append(Markup('<a href="{}">{}</a>').format(href, extra["filename"]))
        return Markup("<br>").join(links)
    return ""


class JobView(StaffModelView):
    """Background jobs with live progress; finished ones offer their file, failed ones a retry."""

    area = "jobs"
    menu_category = _l("Settings")
    allow_create = allow_edit = allow_delete = False
    list_template = "admin/job_list.html"
    column_list = (
        "created_at",
        "kind",
        "status",
        "progress",
        "message",
        "result",
        "created_by",
        "finished_at",
    )
    column_formatters = {
        "kind": _kind,
        "progress": _progress,
        "result": _result,
        "params": _params,
    }
    column_details_list = (*column_list, "params", "error")
    column_searchable_list = ("kind", "message", "created_by.name")
    column_filters = ("kind", "status", "created_at")
    column_sortable_list = ("created_at", "kind", "status")

    @action("retry", _l("Retry"), _l("Run the selected failed jobs again?"))
    def action_retry(self, ids):
        jobs = self.selected(ids, Job.status == JobStatus.FAILED)
        for job in jobs:
            retry(job)
            record("retry", job, actor=current_staff())
        db.session.commit()
        flash(ngettext("%(num)s job started again.", "%(num)s jobs started again.", len(jobs)))


class AuditEventView(StaffModelView):
    area = "audit"
    menu_category = _l("Settings")
    allow_create = allow_edit = allow_delete = False
    column_default_sort = ("occurred_at", True)
    column_list = (
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
        "ip_address",
    )
    column_labels = {"actor_label": _l("Who"), "object_type": _l("Record"), "object_id": _l("Id")}
    column_formatters = {"action": words_column}
    column_searchable_list = ("actor_label", "summary", "ip_address")
    column_filters = ("action", "object_type", "actor_kind", "occurred_at")
    column_sortable_list = ("occurred_at", "action", "object_type")


class OutboxView(StaffModelView):
    """Every e-mail the app sent or is still trying to send, with the last delivery error."""

    area = "audit"
    menu_category = _l("Settings")
    allow_create = allow_edit = allow_delete = False
    column_list = ("created_at", "to_address", "subject", "status", "attempts", "sent_at")
    column_details_list = (*column_list, "reply_to", "last_error", "next_attempt_at", "text_body")
    column_searchable_list = ("to_address", "subject")
    column_filters = ("status", "created_at", "sent_at")
    column_sortable_list = ("created_at", "status", "sent_at")
