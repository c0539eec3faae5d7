"""Messages with customers and the documents kept for them."""

from flask import get_template_attribute, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms.validators import ValidationError

from admin.base import StaffModelView, stored_upload, validate_links
from admin.lookups import lookups
from app.auth.roles import current_staff
from app.models import Message
from app.models.enums import MessageDirection
from app.storage import save_document


class MessageView(StaffModelView):
    """Every message, searchable; staff write and reply in Conversations, which also mails the
    customer and tracks what was read. Sent messages are never edited."""

    area = "messages"
    menu_category = _l("Customers")
    allow_create = allow_edit = False
    column_list = ("created_at", "customer", "direction", "author_name", "work_order", "body")
    column_labels = {"author_name": _l("From")}
    column_select_related_list = (
        Message.customer,
        Message.work_order,
        Message.staff_author,
        Message.portal_author,
    )
    column_formatters = {"body": lambda v, c, m, n: m.body[:100]}
    column_searchable_list = ("body", "customer.name")
    column_filters = ("direction", "created_at", "read_at")
    column_sortable_list = ("created_at", ("customer", "customer.name"), "direction")
    form_columns = ("customer", "work_order", "body")
    column_details_list = (
        "created_at",
        "customer",
        "direction",
        "author_name",
        "work_order",
        "body",
        "read_at",
    )
    form_ajax_refs = lookups("customer", "work_order")

    def validate_model(self, model) -> None:
        validate_links(model)
        model.direction = MessageDirection.FROM_OFFICE
        model.staff_author = current_staff()


def _download(view, context, model, name) -> Markup:
    """The file: a picture as its thumbnail, anything else as its name; both open it."""
    if model.content_type.startswith("image/"):
        picture_link = get_template_attribute("_thumbnail.html", "picture_link")
        return picture_link(model, "staff_files.document", {"document_id": model.id}, model.title)
    href = url_for("staff_files.document", document_id=model.id)
    return Markup('<a href="{}">{}</a>').format(href, model.filename)


class DocumentView(StaffModelView):
    area = "documents"
    menu_category = _l("Customers")
    column_list = (
        "created_at",
        "title",
        "kind",
        "customer",
        "property",
        "unit",
        "visible_to_customer",
        "file",
    )
    column_formatters = {"file": _download}
    column_searchable_list = ("title", "filename", "customer.name")
    column_filters = ("kind", "visible_to_customer", "created_at")
    column_sortable_list = ("created_at", "title", "kind")
    form_columns = (
        "title",
        "kind",
        "customer",
        "property",
        "unit",
        "work_order",
        "visible_to_customer",
        "upload",
    )
    form_extra_fields = {"upload": FileField(_l("File (PDF or picture)"))}
    column_details_list = (*form_columns[:-1], "file", "content_type", "size_bytes")
    form_ajax_refs = lookups("customer", "property", "unit", "work_order")

    def validate_model(self, model) -> None:
        validate_links(model)

    def on_model_change(self, form, model, is_created: bool) -> None:
        if form.upload.data:
            stored = stored_upload(save_document, form.upload.data, folder="documents")
            for key, value in stored.fields().items():
                setattr(model, key, value)
        elif is_created:
            raise ValidationError(_("Choose a file to upload."))
        super().on_model_change(form, model, is_created)
