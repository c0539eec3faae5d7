"""Customers, their properties and units, and the people who sign into the portal."""

from flask import abort, current_app, flash, redirect
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired, Email, NumberRange, Optional

from admin.base import SignOutEverywhereAction, StaffModelView, as_ids, refusal_as_form_error
from admin.formatting import warranty_column
from admin.lookups import lookups
from admin.stories import StoryDetails
from admin.views.stickers import qr_png, sticker_sheet_url
from app.auth.roles import current_staff
from app.extensions import db
from app.i18n import LANGUAGES
from app.models import Property, Unit
from app.queries.customer_story import customer_story, property_story, unit_story
from app.queries.sticker_sheets import unit_ids_under
from app.services.audit import changes_of
from app.services.compliance import ComplianceError
from app.services.portal_access import LinkError, invite_portal_user, portal_user_changed
from app.services.refrigerant_ledger import EventError, record_unit_charge_change, unit_regimes
from qr.codes import sticker_url
from qr.sheets import FORMATS
from qr.tokens import reissue_sticker, revoke_sticker


def _print_units_of(ids: list[str], owner_column, single_param: str):
    """Print stickers for every unit of the selected properties or customers."""
    selected = as_ids(ids)
    if len(selected) == 1:
        return redirect(sticker_sheet_url(**{single_param: selected[0]}))
    unit_ids = unit_ids_under(owner_column, selected)
    return redirect(sticker_sheet_url(unit_ids=",".join(map(str, unit_ids))))


class CustomerView(StoryDetails, StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    details_template = "admin/customer_details.html"
    story_reads = staticmethod(customer_story)
    column_list = ("name", "kind", "email", "phone", "created_at")
    column_searchable_list = ("name", "email", "phone")
    column_filters = ("kind", "created_at")
    column_sortable_list = ("name", "kind", "created_at")
    form_columns = ("name", "kind", "email", "phone", "billing_address", "notes")
    form_args = {"email": {"validators": [Optional(), Email()]}}

    @action("print_stickers", _l("Print stickers"))
    def action_print_stickers(self, ids):
        return _print_units_of(ids, Property.customer_id, "customer_id")


class PropertyView(StoryDetails, StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    details_template = "admin/property_details.html"
    story_reads = staticmethod(property_story)
    column_list = ("name", "customer", "address_line1", "city", "state", "postal_code")
    column_searchable_list = ("name", "address_line1", "city", "postal_code", "customer.name")
    column_filters = ("city", "state", "created_at")
    column_sortable_list = ("name", ("customer", "customer.name"), "city", "created_at")
    form_columns = (
        "customer",
        "name",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "postal_code",
        "access_notes",
        "leak_rate_method",
    )
    form_ajax_refs = lookups("customer")

    @action("print_stickers", _l("Print stickers"))
    def action_print_stickers(self, ids):
        return _print_units_of(ids, Unit.property_id, "property_id")


def _unit_story(unit: Unit, **reads):
    """The unit's story with the address its sticker's QR code holds."""
    story = unit_story(unit, **reads)
    if unit.qr_token:
        story.sticker_url = sticker_url(current_app.config["PUBLIC_BASE_URL"], unit.qr_token)
    return story


def _epa_rules(view, context, model, name) -> str:
    """Which leak-repair rules apply, derived (never guessed) from refrigerant and charge."""
    if not model.refrigerant_type or not model.full_charge_lb:
        return ""
    try:
        rules = unit_regimes(model, model.full_charge_lb)
    except ComplianceError:
        return _("unknown refrigerant")
    names = {"part82": "Part 82", "part84": "Part 84"}
    return ", ".join(names[rule] for rule in sorted(rules)) or _("none")


class UnitView(StoryDetails, StaffModelView):
    area = "records"
    menu_category = _l("Customers")
    details_template = "admin/unit_details.html"
    story_reads = staticmethod(_unit_story)
    column_list = (
        "name",
        "kind",
        "property",
        "manufacturer",
        "model_number",
        "serial_number",
        "install_date",
        "parts_warranty_status",
        "labor_warranty_status",
        "epa_rules",
        "label_code",
    )
    column_labels = {
        "parts_warranty_status": _l("Parts warranty"),
        "labor_warranty_status": _l("Labour warranty"),
        "epa_rules": _l("EPA leak-repair rules"),
        "full_charge_lb": _l("Full charge (lb)"),
        "epa_appliance_type": _l("EPA appliance type"),
        "charge_method": _l("How the charge was determined"),
        "part84_excluded_subsector": _l(
            "Excluded subsector (residential or light-commercial AC): outside Part 84"
        ),
    }
    column_formatters = {
        "epa_rules": _epa_rules,
        "parts_warranty_status": warranty_column,
        "labor_warranty_status": warranty_column,
        "label_code": lambda v, c, m, n: m.printed_label_code,
    }
    column_searchable_list = (
        "name",
        "manufacturer",
        "model_number",
        "serial_number",
        "label_code",
        "property.name",
        "property.customer.name",
    )
    column_filters = (
        "kind",
        "manufacturer",
        "refrigerant_type",
        "epa_appliance_type",
        "install_date",
        "parts_warranty_end",
        "labor_warranty_end",
    )
    column_sortable_list = (
        "name",
        "kind",
        "manufacturer",
        "install_date",
        "parts_warranty_end",
        "created_at",
    )
    form_columns = (
        "property",
        "name",
        "kind",
        "manufacturer",
        "model_number",
        "serial_number",
        "install_date",
        "parts_warranty_end",
        "labor_warranty_end",
        "refrigerant_type",
        "full_charge_lb",
        "charge_method",
        "charge_effective_on",
        "epa_appliance_type",
        "part84_excluded_subsector",
        "service_interval_months",
        "notes",
    )
    form_extra_fields = {
        "charge_effective_on": DateField(
            _l(
                "Full charge applies from (empty: the installation date for the first charge, "
                "today for a change)"
            ),
            validators=[Optional()],
        )
    }
    column_details_list = (
        *(name for name in form_columns if name != "charge_effective_on"),
        "epa_rules",
        "label_code",
        "parts_warranty_status",
        "created_at",
    )
    form_args = {
        "full_charge_lb": {"validators": [Optional(), NumberRange(min=0.01, max=100000)]},
        "service_interval_months": {"validators": [Optional(), NumberRange(min=1, max=120)]},
    }

    def on_model_change(self, form, model, is_created: bool) -> None:
        """A change to the full charge or its method is kept as a revision (the history leak
        rates are computed from), and the unit's leak rates are recomputed."""
        charge_changed = {"full_charge_lb", "charge_method"} & set(changes_of(model))
        super().on_model_change(form, model, is_created)
        if charge_changed or form.charge_effective_on.data:
            with refusal_as_form_error(EventError):
                record_unit_charge_change(
                    model, form.charge_effective_on.data, actor=current_staff()
                )

    @action("print_stickers", _l("Print stickers"))
    def action_print_stickers(self, ids):
        return redirect(sticker_sheet_url(unit_ids=",".join(map(str, as_ids(ids)))))

    def story_extras(self) -> dict:
        return {"sticker_formats": list(FORMATS.values())}

    @expose("/qr/<int:unit_id>.png")
    def qr_image(self, unit_id: int):
        """The unit's QR code as a picture the office can look at, copy or save."""
        unit = self.get_one(str(unit_id))
        if unit is None or not unit.qr_token:
            abort(404)
        return qr_png(sticker_url(current_app.config["PUBLIC_BASE_URL"], unit.qr_token))

    @action(
        "reissue_sticker",
        _l("Issue new stickers"),
        _l("The old stickers of the selected units will stop working. Continue?"),
    )
    def action_reissue(self, ids):
        self.change_selected(
            ids, reissue_sticker, _("%(num)s units have new sticker codes. Print their stickers.")
        )

    @action(
        "revoke_sticker",
        _l("Revoke stickers"),
        _l("The stickers of the selected units will stop working. Continue?"),
    )
    def action_revoke(self, ids):
        self.change_selected(ids, revoke_sticker, _("%(num)s stickers revoked."))

    form_ajax_refs = lookups("property")


class PortalUserView(SignOutEverywhereAction, StaffModelView):
    """People at customers who sign into the portal; invited from here by e-mail."""

    area = "portal_users"
    menu_category = _l("Customers")
    column_list = ("name", "email", "customer", "active", "invited_at", "last_login_at")
    column_searchable_list = ("name", "email", "customer.name")
    column_filters = ("active", "invited_at", "last_login_at")
    column_sortable_list = ("name", "email", "last_login_at", "created_at")
    form_columns = ("customer", "name", "email", "phone", "language", "active")
    form_args = {
        "email": {"validators": [DataRequired(), Email()]},
        "language": {
            "label": _l("Language of their e-mails"),
            "description": _l("Set when they sign in or change the portal's language."),
        },
    }
    form_choices = {"language": list(LANGUAGES.items())}
    form_ajax_refs = lookups("customer")

    def on_model_change(self, form, model, is_created: bool) -> None:
        changes = changes_of(model)
        super().on_model_change(form, model, is_created)
        if not is_created:
            portal_user_changed(model, changes, actor=current_staff())

    @action("invite", _l("Send portal invitation"), _l("E-mail the selected people an invitation?"))
    def action_invite(self, ids):
        users = self.selected(ids)
        invited = 0
        for user in users:
            try:
                invite_portal_user(user, actor=current_staff())
            except LinkError as error:
                flash(f"{user.email}: {error}", "error")
            else:
                invited += 1
        db.session.commit()
        flash(_("%(num)s invitations sent.", num=invited), "success")
