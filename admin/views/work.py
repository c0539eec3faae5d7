"""Field work: service requests, work orders, their photos and notes."""

from flask import get_template_attribute, url_for
from flask_admin.helpers import get_form_data
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms.validators import InputRequired, NumberRange, ValidationError

from admin.base import StaffModelView, refusal_as_form_error, stored_upload, validate_links
from admin.close_out import WorkOrderCloseOut
from admin.fields import CentsField, KeptChoiceField
from admin.formatting import datetime_column, visit_list
from admin.lookups import lookups
from app.auth.roles import current_staff
from app.models import WorkOrderLine
from app.models.enums import RequestSource, StaffRole
from app.queries.price_book import offered_items
from app.queries.work import visible_work_order_ids, work_order_visible
from app.scoping import work_orders_for_staff
from app.services.price_book import NOT_OFFERED, LineError, price_lines, staff_may_price
from app.storage import save_image


def line_items(model, *extra_columns: str, priced: bool = True, **options) -> tuple:
    """Inline line-item editing for a work order, quote or invoice; `extra_columns` follow
    the price (left out when not `priced`), and `options` add to the inline form's settings
    (labels, descriptions)."""
    return (
        model,
        {
            "form_columns": (
                "id",
                "position",
                *options.pop("lead_columns", ()),
                "kind",
                "description",
                "quantity",
                *(("unit_price_cents",) if priced else ()),
                *extra_columns,
            ),
            "form_overrides": {
                "unit_price_cents": CentsField,
                **options.pop("form_overrides", {}),
            },
            "form_args": {
                "quantity": {"validators": [NumberRange(min=0, max=100000)]},
                **options.pop("form_args", {}),
            },
            "column_labels": {
                "unit_price_cents": _l("Unit price ($)"),
                **options.pop("column_labels", {}),
            },
            "form_label": _l("Line items"),
            **options,
        },
    )


# A priced line's tax box, on work orders and invoices (quotes total their options in the
# portal's script at one rate, so their lines are all taxed).
TAXABLE_LABEL = {"taxable": _l("Taxed")}
TAXABLE_ARGS = {"taxable": {"description": _l("Sales tax applies to this line.")}}


def work_order_lines(*, priced: bool) -> tuple:
    """A work order's lines: each chosen from the price book (app.services.price_book fills
    its words, kind and price, so the description may be left blank) or typed in freely. A
    line is offered the items on offer, as on the job page, and keeps the item it has even
    once that is retired."""
    return line_items(
        WorkOrderLine,
        *(("taxable",) if priced else ()),
        priced=priced,
        lead_columns=("price_book_item",),
        form_overrides={"price_book_item": KeptChoiceField},
        form_args={
            "price_book_item": {
                "query_factory": offered_items,
                "refused": NOT_OFFERED,
                "description": _l("Fills in the words, kind, price and tax from the book."),
                # The blank choice's words: Select2's box shows them, so it always has a name.
                "blank_text": _l("Not from the price book"),
            },
            **TAXABLE_ARGS,
        },
        column_labels={"price_book_item": _l("Price book item"), **TAXABLE_LABEL},
        postprocess_form=_new_line_fields,
    )


def _new_line_fields(form_class):
    """Flask-Admin requires every NOT NULL column; a line chosen from the book takes the
    item's words when none are typed (app.services.price_book checks free lines have some).
    A new line's price box starts blank, not at the column's 0: left blank, a book line takes
    the book's price, and a typed 0.00 is a price like any other."""
    description = form_class.description
    description.kwargs["validators"] = [
        rule for rule in description.kwargs["validators"] if not isinstance(rule, InputRequired)
    ]
    if hasattr(form_class, "unit_price_cents"):
        form_class.unit_price_cents.kwargs["default"] = None
    return form_class


class ServiceRequestView(StaffModelView):
    area = "requests"
    menu_category = _l("Work")
    column_list = (
        "number",
        "created_at",
        "status",
        "source",
        "customer",
        "property",
        "unit",
        "contact_name",
        "description",
        "report_count",
    )
    column_searchable_list = ("number", "contact_name", "contact_phone", "contact_email")
    column_filters = ("status", "source", "created_at", "preferred_date")
    column_sortable_list = ("number", "created_at", "status", "preferred_date")
    form_columns = (
        "source",
        "status",
        "unit",
        "property",
        "customer",
        "contact_name",
        "contact_phone",
        "contact_email",
        "description",
        "preferred_date",
        "preferred_window",
        "dismissed_reason",
    )
    form_defaults = {"source": RequestSource.PHONE}  # the office types in what it hears
    form_ajax_refs = lookups("customer", "property", "unit", "portal_user")
    column_formatters = {"description": lambda v, c, m, n: m.description[:80]}

    def validate_model(self, model) -> None:
        if not (model.contact_phone or model.contact_email):
            raise ValidationError(_("Give a phone number or an e-mail address to reach them."))
        validate_links(model)


def _photo_link(photo) -> Markup:
    """The photo's thumbnail, linking to the photo."""
    picture_link = get_template_attribute("_thumbnail.html", "picture_link")
    return picture_link(
        photo, "staff_files.work_order_photo", {"photo_id": photo.id}, photo.caption or _("Photo")
    )


def _thumbnail(view, context, model, name) -> Markup:
    return _photo_link(model)


def photos_column(view, context, model, name) -> Markup:
    """A work order's (or a finding's) photos as a row of thumbnails."""
    links = Markup("").join(_photo_link(photo) for photo in model.photos)
    return Markup('<div class="thumbs">{}</div>').format(links)


def _job_link(view, context, model, name) -> Markup:
    """The number, and the way to the job page (where the visit's work is recorded)."""
    return Markup('{} <a class="btn btn-sm btn-outline-primary ml-2" href="{}">{}</a>').format(
        model.number, url_for("job_page.page", work_order_id=model.id), _("Open the job page")
    )


class WorkOrderView(WorkOrderCloseOut, StaffModelView):
    area = "work"
    menu_category = _l("Work")
    column_list = (
        "number",
        "first_arrival",
        "status",
        "priority",
        "customer",
        "property",
        "unit",
        "technician",
        "summary",
    )
    column_searchable_list = ("number", "summary", "customer.name", "property.address_line1")
    column_filters = ("status", "priority", "technician.name", "completed_at")
    column_sortable_list = (
        "number",
        "status",
        "priority",
        ("customer", "customer.name"),
        ("technician", "technician.name"),
        "created_at",
    )
    form_columns = (
        "property",
        "unit",
        "technician",
        "status",
        "priority",
        "summary",
        "description",
        "contact_name",
        "contact_phone",
        "completed_at",
        "signed_off_by",
        "signed_off_at",
        "lines",
    )
    column_details_list = (
        "close_out",
        *form_columns[:-1],
        "number",
        "customer",
        "visits",
        "lines",
        "notes",
        "photos",
    )
    column_labels = {
        "contact_name": _l("Who to call on site"),
        "contact_phone": _l("Their phone"),
        "first_arrival": _l("First visit"),
        "close_out": _l("Close out"),
    }
    column_formatters = {
        "close_out": WorkOrderCloseOut.close_out_buttons,
        "visits": visit_list,
        "first_arrival": datetime_column,
        "photos": photos_column,
    }
    inline_models = (work_order_lines(priced=True),)
    form_ajax_refs = lookups("property", "unit", "technician")

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        # The details page's number leads to the job page; lists keep the plain number.
        self.column_formatters_detail = {**self.column_formatters, "number": _job_link}

    def own_rows(self, staff):
        return work_orders_for_staff(staff)

    def _refresh_forms_cache(self) -> None:
        """Also build the forms for staff who may not price lines: the same, with line items
        that have no price field (a price posted anyway is not read, and new lines cost 0
        until the office prices them)."""
        super()._refresh_forms_cache()
        priced = self.inline_models
        self.inline_models = (work_order_lines(priced=False),)
        try:
            self._unpriced_forms = self.get_create_form(), self.get_edit_form()
        finally:
            self.inline_models = priced

    def create_form(self, obj=None):
        if staff_may_price():
            return super().create_form(obj)
        return self._unpriced_forms[0](get_form_data(), obj=obj)

    def edit_form(self, obj=None):
        if staff_may_price():
            return super().edit_form(obj)
        return self._unpriced_forms[1](get_form_data(), obj=obj)

    def validate_model(self, model) -> None:
        staff = current_staff()
        mine = model.technician is not None and model.technician.id == staff.id
        if staff.role == StaffRole.TECHNICIAN and not mine:
            raise ValidationError(_("You can only keep work orders assigned to yourself."))
        if model.property is not None:
            model.customer = model.property.customer
        validate_links(model)
        with refusal_as_form_error(LineError):
            price_lines(model, may_price=staff_may_price())


class WorkOrderChildView(StaffModelView):
    """Photos and notes: technicians may add them to their own work orders."""

    area = "work"
    menu_category = _l("Work")
    allow_edit = False

    @property
    def can_create(self) -> bool:
        return self._can_write

    def own_rows(self, staff):
        return self.model.work_order_id.in_(visible_work_order_ids(staff))

    def validate_model(self, model) -> None:
        chosen = model.work_order
        if chosen is None or not work_order_visible(current_staff(), chosen.id):
            raise ValidationError(_("Choose one of your work orders."))


class WorkOrderPhotoView(WorkOrderChildView):
    column_list = ("photo", "work_order", "caption", "uploaded_by", "created_at")
    column_formatters = {"photo": _thumbnail}
    column_searchable_list = ("caption", "work_order.number")
    column_filters = ("created_at",)
    column_sortable_list = ("created_at",)
    form_columns = ("work_order", "caption", "upload")
    form_extra_fields = {"upload": FileField(_l("Photo"))}
    column_details_list = (
        "photo",
        "work_order",
        "caption",
        "filename",
        "uploaded_by",
        "created_at",
    )

    form_ajax_refs = lookups("work_order")

    def on_model_change(self, form, model, is_created: bool) -> None:
        if not form.upload.data:
            raise ValidationError(_("Choose a photo to upload."))
        stored = stored_upload(save_image, form.upload.data, folder="work-order-photos")
        for key, value in stored.fields().items():
            setattr(model, key, value)
        model.uploaded_by = current_staff()
        super().on_model_change(form, model, is_created)


class WorkOrderNoteView(WorkOrderChildView):
    column_list = ("work_order", "author", "body", "visible_to_customer", "created_at")
    column_searchable_list = ("body", "work_order.number")
    column_filters = ("visible_to_customer", "created_at")
    column_sortable_list = ("created_at",)
    form_columns = ("work_order", "body", "visible_to_customer")

    form_ajax_refs = lookups("work_order")

    def on_model_change(self, form, model, is_created: bool) -> None:
        if is_created:
            model.author = current_staff()
        super().on_model_change(form, model, is_created)
