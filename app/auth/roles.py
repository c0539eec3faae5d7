"""Who may see and change what in the back office.

One table answers "what can this role do in this area"; admin views name their area and
ask here, so a rule changes in one place.
"""

from enum import StrEnum

from flask_login import current_user

from app.models.enums import StaffRole

ADMIN, DISPATCHER, TECHNICIAN, MANAGER = (
    StaffRole.ADMIN,
    StaffRole.DISPATCHER,
    StaffRole.TECHNICIAN,
    StaffRole.MANAGER,
)


class Access(StrEnum):
    READ = "read"
    EDIT = "edit"
    # Technicians: edit, but only records assigned to them.
    EDIT_OWN = "edit_own"


OFFICE = {ADMIN: Access.EDIT, MANAGER: Access.EDIT, DISPATCHER: Access.EDIT}

AREAS: dict[str, dict[StaffRole, Access]] = {
    # customers, properties, units
    "records": {**OFFICE, TECHNICIAN: Access.READ},
    # work orders and their lines, photos, notes
    "work": {**OFFICE, TECHNICIAN: Access.EDIT_OWN},
    # the prices on work-order lines: technicians record the work, the office prices it
    "pricing": OFFICE,
    "requests": OFFICE,
    "billing": OFFICE,
    # the price book: the office keeps it, technicians look prices up in it
    "price_book": {**OFFICE, TECHNICIAN: Access.READ},
    "messages": OFFICE,
    # customers' portal conversations; technicians: customers they have an open work order for
    "conversations": {**OFFICE, TECHNICIAN: Access.EDIT_OWN},
    "documents": OFFICE,
    "portal_users": OFFICE,
    # refrigerant events and full-charge revisions; technicians: their own events
    "refrigerant": {**OFFICE, TECHNICIAN: Access.EDIT_OWN},
    # repair episodes and obligations: marking a plan or an EPA report done, shutdown
    # extensions and retrofit decisions are the office's; technicians read them
    "compliance": {**OFFICE, TECHNICIAN: Access.READ},
    "stickers": OFFICE,
    # My day: a technician's own visits today, and On my way / Arrived / Done on them
    "my_day": {TECHNICIAN: Access.EDIT_OWN},
    # EPA compliance reports: they go into the customer's documents
    "compliance_reports": OFFICE,
    # Jobs are started from other screens; EDIT here means "may retry a failed one".
    "jobs": OFFICE,
    # The audit trail and the outbox: read-only for everyone
    "audit": {ADMIN: Access.READ, MANAGER: Access.READ, DISPATCHER: Access.READ},
    "settings": {ADMIN: Access.EDIT, MANAGER: Access.EDIT},
    "staff": {ADMIN: Access.EDIT},
}


def current_staff():
    """The signed-in staff user, or None (anonymous and portal users are not staff).

    An admin page asks this some forty times (each menu entry's access check), so the user
    is looked up once: each `current_user.x` resolves the proxy anew. It is the user itself,
    not the proxy, so `is` comparisons hold."""
    user = current_user._get_current_object()
    if user.is_authenticated and getattr(user, "is_staff", False):
        return user
    return None


def access_to(area: str) -> Access | None:
    """What the current user may do in an area; None means no access at all."""
    staff = current_staff()
    if staff is None:
        return None
    return AREAS[area].get(staff.role)
