"""The base of every admin view: role checks, scoping hooks, audit trail, office formats."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, true
from sqlalchemy.exc import IntegrityError
from wtforms.validators import ValidationError

from admin.fields import FilterConverterWithLocalDates, ModelConverter
from admin.formatting import (
    chosen_lines,
    date_column,
    datetime_column,
    enum_column,
    lines_table,
    money_column,
)
from app.auth.redirects import to_sign_in
from app.auth.roles import Access, access_to, current_staff
from app.extensions import db
from app.ids import record_id
from app.models.base import UTCDateTime
from app.services.audit import changes_of_record, record
from app.services.records import OwnershipError, link_owners
from app.services.sign_ins import sign_out_everywhere
from app.storage import StoredFile, UploadRejected


def as_ids(values) -> list[int]:
    """The record ids among an action's selected rows."""
    return [pk for pk in map(record_id, values) if pk is not None]


class RoleGate:
    """Admin views reachable only by staff whose role grants the view's `area` (app.auth.roles).

    Anonymous visitors and portal users are sent to the staff sign-in; staff without the area
    get a 403.
    """

    area: str = ""

    @property
    def access(self) -> Access | None:
        return access_to(self.area)

    def is_accessible(self) -> bool:
        return self.access is not None

    def inaccessible_callback(self, name, **kwargs):
        if current_staff() is None:
            return to_sign_in()
        abort(403)


class StaffBaseView(RoleGate, BaseView):
    """A custom (non-model) admin page behind the role gate."""


class LinkedStaffView(StaffBaseView):
    """A custom page reached from a link (a work order, My day, a sticker, the job page), never
    from the menu."""

    def is_visible(self) -> bool:
        return False


class StaffModelView(RoleGate, ModelView):
    """A model view behind the role gate.

    Subclasses say what the view itself allows (`allow_create`, ...); the role can only narrow
    that. Technicians with EDIT_OWN access see only rows `own_rows()` lets through, in lists,
    counts, edit pages and actions alike.
    """

    allow_create = True
    allow_edit = True
    allow_delete = True

    page_size = 20
    can_set_page_size = True
    # Lists page back and forth without counting their rows: a count over a table of 100,000
    # work orders on every page load costs more than the page it counts for (issue 16).
    simple_list_pager = True
    can_view_details = True
    column_default_sort = ("created_at", True)
    column_display_pk = False
    form_excluded_columns = ("created_at",)
    model_form_converter = ModelConverter
    filter_converter = FilterConverterWithLocalDates()

    list_template = "admin/model_list.html"

    menu_category: str | None = None
    # What a new record's form starts with, where the office's usual pick differs from the
    # model's default ({field: value or callable}).
    form_defaults: dict = {}

    def __init__(self, model, **kwargs):
        self.column_formatters = {**default_formatters(model), **(self.column_formatters or {})}
        self.column_labels = {**default_labels(model), **(self.column_labels or {})}
        kwargs.setdefault("category", self.menu_category)
        super().__init__(model, db, **kwargs)

    @property
    def _can_write(self) -> bool:
        return self.access in (Access.EDIT, Access.EDIT_OWN)

    @property
    def can_create(self) -> bool:
        return self.allow_create and self.access == Access.EDIT

    @property
    def can_edit(self) -> bool:
        return self.allow_edit and self._can_write

    @property
    def can_delete(self) -> bool:
        return self.allow_delete and self.access == Access.EDIT

    @property
    def can_export(self) -> bool:
        return False

    def is_action_allowed(self, name: str) -> bool:
        """Bulk actions change things: only for roles that may edit the whole area."""
        return self.access == Access.EDIT and super().is_action_allowed(name)

    # Scoping: narrow lists, counts, single rows and look-ups together.

    def own_rows(self, staff):
        """Extra filter for staff with EDIT_OWN access; the whole table by default."""
        return true()

    def _scope(self):
        staff = current_staff()
        if staff is None or self.access != Access.EDIT_OWN:
            return true()
        return self.own_rows(staff)

    def get_query(self):
        return super().get_query().filter(self._scope())

    def get_count_query(self):
        return super().get_count_query().filter(self._scope())

    def _get_list_extra_args(self):
        """Flask-Admin's list arguments, with a page number no list has (negative, or past the
        database's integer range once multiplied by the page size) read as the first page."""
        args = super()._get_list_extra_args()
        if args.page and record_id(args.page + 1) is None:
            return args.clone(page=0)
        return args

    def search_placeholder(self) -> str | None:
        """What the search box searches, as the office names it: "Search: Number, Customer"."""
        if not self.column_searchable_list:
            return None
        names = []
        for searched in self.column_searchable_list:
            path = str(getattr(searched, "key", searched))
            head = path.split(".")[0]
            names.append(str(self.column_labels.get(path) or self.get_column_name(head)))
        return _("Search: %(columns)s", columns=", ".join(dict.fromkeys(names)))

    def selected(self, ids, *criteria) -> list:
        """The rows of an action's selection this view may see (and meet `criteria`)."""
        return self.get_query().filter(self.model.id.in_(as_ids(ids)), *criteria).all()

    def change_selected(self, ids, change, done: str) -> None:
        """An action that calls `change(row, actor=...)` on each selected row, commits once and
        flashes `done` (its %(num)s the number of rows)."""
        rows = self.selected(ids)
        for row in rows:
            change(row, actor=current_staff())
        db.session.commit()
        flash(done % {"num": len(rows)}, "success")

    def get_one(self, id):
        pk = record_id(id)
        return self.get_query().filter(self.model.id == pk).one_or_none() if pk else None

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if request.method == "GET":
            for name, value in self.form_defaults.items():
                form[name].data = value() if callable(value) else value
        return form

    def locked_reason(self, model) -> str | None:
        """Why this record can no longer be edited (then its edit page shows its details with
        the reason), or None."""
        return None

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        model = self.get_one(request.args.get("id", ""))
        reason = self.locked_reason(model) if model is not None else None
        if reason:
            flash(reason, "warning")
            return redirect(self.get_url(".details_view", id=model.id))
        return super().edit_view()

    def validate_form(self, form) -> bool:
        """Validate, then make translated error messages plain strings: Flask-Admin's
        templates silently skip errors that are not `str` (such as lazy translations)."""
        valid = super().validate_form(form)
        for field in form:
            if isinstance(field.errors, list):
                field.errors = [str(e) if isinstance(e, LazyString) else e for e in field.errors]
        return valid

    # Saving: a clear message instead of an error page; every change in the audit trail.

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, IntegrityError):
            flash(
                _(
                    "That change was not saved: it conflicts with other records "
                    "(a duplicate value, or the record is still in use)."
                ),
                "error",
            )
            return True
        return super().handle_view_exception(exc)

    def on_model_change(self, form, model, is_created: bool) -> None:
        # Half-filled records must not be flushed by the look-ups validation does.
        with db.session.no_autoflush:
            self.validate_model(model)
            changes = changes_of_record(model)
        db.session.flush()
        if is_created or changes:
            action = "create" if is_created else "update"
            record(action, model, actor=current_staff(), changes=changes)

    def validate_model(self, model) -> None:
        """Raise ValidationError (shown as a message, nothing saved) when the record is invalid."""

    def on_model_delete(self, model) -> None:
        record("delete", model, actor=current_staff())


def posted_record(model, form_id, missing: str):
    """The `model` record a posted form names by id; when it is gone, flash `missing` and go
    back to the view's page (a redirect raised, so the action ends there)."""
    found = db.session.get(model, record_id(form_id) or 0)
    if found is None:
        flash(missing, "error")
        abort(redirect(url_for(".index")))
    return found


def default_formatters(model) -> dict:
    """Money columns as dollars, days and timestamps as the reader's language writes them (in
    the company's time zone), enums as coloured chips."""
    formatters = {}
    for column in model.__table__.columns:
        if column.name.endswith("_cents"):
            formatters[column.name] = money_column
        elif isinstance(column.type, UTCDateTime):
            formatters[column.name] = datetime_column
        elif isinstance(column.type, Date) and not isinstance(column.type, DateTime):
            formatters[column.name] = date_column
        elif getattr(column.type, "enum_class", None) is not None:
            formatters[column.name] = enum_column
    if hasattr(model, "lines"):
        formatters["lines"] = lines_table
    if hasattr(model, "chosen_line_ids"):
        formatters["chosen_line_ids"] = chosen_lines
    return formatters


def default_labels(model) -> dict:
    """Money columns named for what they hold: `approved_subtotal_cents` is "Approved subtotal"
    (its values are dollars, not cents)."""
    return {
        column.name: column.name.removesuffix("_cents").replace("_", " ").capitalize()
        for column in model.__table__.columns
        if column.name.endswith("_cents")
    }


@contextmanager
def refusal_as_form_error(*errors: type[Exception]) -> Iterator[None]:
    """A service's refusal (one of `errors`) in the block becomes the form's error: shown on
    the page, nothing saved."""
    try:
        yield
    except errors as error:
        raise ValidationError(str(error)) from None


def stored_upload(save, upload, **where) -> StoredFile:
    """`save(upload, **where)` (app.storage's save_image or save_document); a file storage
    refuses becomes the form's error, shown on the page instead of a failed save."""
    with refusal_as_form_error(UploadRejected):
        return save(upload, **where)


def validate_links(model) -> None:
    """A record's customer, property, unit and work order must belong together."""
    with refusal_as_form_error(OwnershipError):
        link_owners(model)


class SignOutEverywhereAction:
    """The office's "Sign out everywhere" for the people a model view lists (staff or portal
    users): every sign-in of theirs ends, each one audited."""

    @action(
        "sign_out_everywhere",
        _l("Sign out everywhere"),
        _l("Sign the selected people out on every device?"),
    )
    def action_sign_out_everywhere(self, ids):
        self.change_selected(ids, sign_out_everywhere, _("%(num)s people signed out everywhere."))
