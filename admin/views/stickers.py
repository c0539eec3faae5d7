"""Printing sticker sheets: choose what to print and the label stock; a job makes the PDF."""

import io

from flask import Response, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from admin.base import StaffBaseView, StaffModelView
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import record_id
from app.jobs import enqueue
from app.models import Customer, Property
from app.queries.sticker_sheets import unit_count
from app.services.audit import record
from qr.drawing import QUIET_ZONE_MODULES, make_qr
from qr.sheets import FORMATS
from reports.sheet_preview import preview_svg
from reports.stickers import first_sheet_labels

MAX_BLANK = 3000


class StickerSheetForm(FlaskForm):
    unit_ids = HiddenField()
    property_id = HiddenField()
    customer_id = HiddenField()
    blank_count = IntegerField(
        _l("How many blank stickers"), validators=[Optional(), NumberRange(min=1, max=MAX_BLANK)]
    )
    format = SelectField(_l("Label stock"))
    start = IntegerField(
        _l("Start at label position"),
        default=1,
        validators=[NumberRange(min=1, message=_l("Positions start at 1."))],
    )


def _ids(text: str | None) -> list[int]:
    return [pk for pk in map(record_id, (text or "").split(",")) if pk is not None]


def _chosen(field, model, missing: str):
    """The record whose id the hidden `field` holds; None (`missing` flashed) when it is gone."""
    found = db.session.get(model, record_id(field.data) or 0)
    if found is None:
        flash(missing, "error")
    return found


def qr_png(url: str) -> Response:
    """A QR code as a PNG response, big enough to print or paste (quiet zone included)."""
    out = io.BytesIO()
    qr = make_qr(url)
    qr.box_size, qr.border = 8, QUIET_ZONE_MODULES
    qr.make_image().save(out, format="PNG")
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


def sticker_sheet_url(**selection) -> str:
    """Where admin actions send staff to print stickers for a selection of records."""
    return url_for("stickers.index", **selection)


class StickerSheetView(StaffBaseView):
    area = "stickers"

    def _describe(self, form: StickerSheetForm) -> tuple[str, dict] | None:
        """What the form selects, as words for people and params for the job."""
        if form.unit_ids.data:
            ids = _ids(form.unit_ids.data)
            count = unit_count(ids)
            if not count:
                flash(_("Those units were not found. Select them again in the list."), "error")
                return None
            return _("%(n)s selected units", n=count), {"unit_ids": ids}
        if form.property_id.data:
            missing = _("That property was not found. Choose it again in the list.")
            if prop := _chosen(form.property_id, Property, missing):
                return _("All units at %(p)s", p=prop), {"property_id": prop.id}
        elif form.customer_id.data:
            missing = _("That customer was not found. Choose it again in the list.")
            if customer := _chosen(form.customer_id, Customer, missing):
                return _("All units of %(c)s", c=customer), {"customer_id": customer.id}
        return None

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = StickerSheetForm(request.form if request.method == "POST" else request.args)
        form.format.choices = [(f.name, f.description) for f in FORMATS.values()]
        selection = self._describe(form)
        params = selection[1] if selection else {}
        if not params and form.blank_count.data:
            params = {"blank_count": form.blank_count.data}
        if request.method == "POST" and "preview" not in request.form and form.validate():
            if not params:
                flash(_("Choose units to print, or a number of blank stickers."), "error")
            elif form.start.data > FORMATS[form.format.data].per_page:
                form.start.errors = [_("This label stock has fewer positions.")]
            else:
                job = enqueue(
                    "sticker_sheet",
                    created_by=current_staff(),
                    format=form.format.data,
                    start=form.start.data,
                    **params,
                )
                record("sticker_sheet_requested", job, actor=current_staff())
                db.session.commit()
                flash(_("Making the sticker sheet; it will be ready to download here."), "success")
                return redirect(url_for("job.index_view"))
        return self.render(
            "admin/stickers.html",
            form=form,
            selection=selection and selection[0],
            preview=self._preview(form, params),
        )

    @staticmethod
    def _preview(form: StickerSheetForm, params: dict):
        """The first sheet as it will come out, or None when the form cannot say yet."""
        fmt = FORMATS.get(form.format.data) or next(iter(FORMATS.values()))
        start = form.start.data if isinstance(form.start.data, int) else 1
        if not params or not 1 <= start <= fmt.per_page:
            return None
        try:
            labels = first_sheet_labels(params, fmt, start)
        except ValueError:
            return None
        return preview_svg(
            fmt,
            start,
            labels,
            title=_("The first sheet: %(format)s", format=fmt.description),
            used=_("used"),
        )


class BlankStickerView(StaffModelView):
    """Blank stickers printed ahead, and which unit each one went on."""

    area = "stickers"
    menu_category = _l("Customers")
    allow_create = allow_edit = allow_delete = False
    column_list = ("label_code", "created_at", "created_by", "bound_unit", "bound_at")
    column_formatters = {"label_code": lambda v, c, m, n: m.printed_label_code}
    column_searchable_list = ("label_code",)
    column_filters = ("created_at", "bound_at")
    column_sortable_list = ("created_at", "bound_at")
