"""Which appointment e-mails a portal user wants: on or off per property of their customer
(on unless they turned it off). app.services.notifications leaves out those who turned off a
visit's property."""

from sqlalchemy import delete, select

from app.extensions import db
from app.models import AppointmentEmailOptOut, PortalUser, Property
from app.scoping import CustomerScope
from app.services.audit import record


def appointment_emails_by_property(user: PortalUser) -> list[tuple[Property, bool]]:
    """Each of the user's customer's properties, by name, with whether they get its e-mails."""
    properties = db.session.scalars(
        CustomerScope(user.customer_id).select(Property).order_by(Property.name, Property.id)
    ).all()
    off = set(
        db.session.scalars(
            select(AppointmentEmailOptOut.property_id).where(
                AppointmentEmailOptOut.portal_user_id == user.id
            )
        )
    )
    return [(prop, prop.id not in off) for prop in properties]


def set_appointment_emails(user: PortalUser, wanted: set[int]) -> None:
    """Appointment e-mails on for the properties in `wanted`, off for the user's other ones
    (ids outside the user's customer are ignored); an audit event says what changed."""
    turned_on, turned_off = [], []
    for prop, on in appointment_emails_by_property(user):
        if prop.id in wanted and not on:
            turned_on.append(prop)
        elif prop.id not in wanted and on:
            turned_off.append(prop)
    if turned_on:
        db.session.execute(
            delete(AppointmentEmailOptOut).where(
                AppointmentEmailOptOut.portal_user_id == user.id,
                AppointmentEmailOptOut.property_id.in_([p.id for p in turned_on]),
            )
        )
    db.session.add_all(
        AppointmentEmailOptOut(portal_user_id=user.id, property_id=p.id) for p in turned_off
    )
    if turned_on or turned_off:
        db.session.flush()
        summary = "; ".join(
            [f"on: {p.name}" for p in turned_on] + [f"off: {p.name}" for p in turned_off]
        )
        record("appointment_emails_changed", user, actor=user, summary=summary)


def opted_out_user_ids(property_id: int) -> set[int]:
    """The portal users who turned off appointment e-mails about the property."""
    return set(
        db.session.scalars(
            select(AppointmentEmailOptOut.portal_user_id).where(
                AppointmentEmailOptOut.property_id == property_id
            )
        )
    )
