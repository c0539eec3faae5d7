"""Telling customers about their visits: one service, channels behind it.

`notify_visit(visit, event, **details)` is the only way a visit message goes out. It picks the
recipients (the portal users of the visit's customer, and for a work order that came from a
sticker request the requester's contact e-mail), writes to each in their language and hands the
message to every channel. E-mail is the one channel today (through the outbox, with the .ics
attached when the calendar entry changes); an SMS channel would be a second `Channel`.

It runs inside the caller's transaction: the outbox row commits with the booking, so nothing is
sent when the booking rolls back.
"""

from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.formatting import local_time, window
from app.i18n import language_of
from app.mail import queue_mail
from app.mail_content import Portrait, render_branded
from app.models import Visit
from app.models.enums import RequestSource
from app.services.notification_preferences import opted_out_user_ids
from app.services.visit_calendar import visit_ics
from app.services.visit_links import answer_links
from app.storage import save_bytes
from app.urls import public_url

# What happened to the visit, and the subject the customer reads for it.
SUBJECTS = {
    "booked": _l("Your visit is booked: %(window)s"),
    "moved": _l("Your visit has moved: %(window)s"),
    "cancelled": _l("Your visit on %(window)s is cancelled"),
    "reminder": _l("Reminder: your visit %(window)s"),
    "confirmed": _l("Your visit is confirmed: %(window)s"),
    "en_route": _l("%(technician)s is on the way"),
    "arrived": _l("%(technician)s has arrived"),
}
EVENTS = tuple(SUBJECTS)
# The events that change the customer's calendar entry carry the .ics.
CALENDAR_EVENTS = ("booked", "moved", "cancelled", "reminder", "confirmed")
# The messages sent before the day carry the confirm / reschedule / cancel links.
ANSWERABLE_EVENTS = ("booked", "moved", "reminder", "confirmed")
# The e-mails that show the technician's photo (if set): the customer is about to open the door.
PORTRAIT_EVENTS = ("en_route", "arrived")


@dataclass(frozen=True)
class Recipient:
    """Someone told about a visit: where to reach them, what to call them, their language."""

    email: str
    name: str
    language: str


@dataclass(frozen=True)
class VisitNotice:
    """One message about one visit for one recipient; channels turn it into what they send.
    `details` are the event's extras (en_route: `eta`, an aware datetime; cancelled:
    `reason`)."""

    visit: Visit
    event: str
    recipient: Recipient
    details: dict = field(default_factory=dict)

    @property
    def technician_name(self) -> str:
        """The lead technician's first name (how a customer knows them), or ""."""
        technician = self.visit.lead_technician
        return technician.name.split()[0] if technician and technician.name else ""

    @property
    def technician_label(self) -> str:
        """The first name, or "Your technician" while none is assigned."""
        return self.technician_name or str(_l("Your technician"))

    @property
    def technician_portrait(self) -> Portrait | None:
        """The lead technician's photo for the e-mails that say they are coming or here."""
        technician = self.visit.lead_technician
        if self.event not in PORTRAIT_EVENTS or not technician or not technician.photo_name:
            return None
        return Portrait(public_url("team_photo", photo=technician.photo_name), self.technician_name)

    @property
    def subject(self) -> str:
        """In the language forced around the channel (see notify_visit)."""
        return str(
            SUBJECTS[self.event]
            % {
                "window": window(self.visit.arrival_start, self.visit.arrival_end),
                "technician": self.technician_label,
            }
        )


class Channel(Protocol):
    def send(self, notice: VisitNotice) -> None:
        """Queue the notice for delivery in the caller's transaction."""


class EmailChannel:
    """A branded e-mail through the outbox, with the visit's .ics for calendar events and the
    links that answer it (each recipient their own)."""

    def send(self, notice: VisitNotice) -> None:
        visit, event = notice.visit, notice.event
        attachments = []
        if event in CALENDAR_EVENTS:
            ics = visit_ics(visit, cancelled=event == "cancelled", attendee=notice.recipient.email)
            attachments.append(
                save_bytes(
                    ics,
                    folder="invites",
                    suffix=".ics",
                    filename=f"{visit.work_order.number}.ics",
                    content_type="text/calendar",
                )
            )
        eta = notice.details.get("eta")
        text, html = render_branded(
            "visit",
            portrait=notice.technician_portrait,
            notice=notice,
            visit=visit,
            event=event,
            when=window(visit.arrival_start, visit.arrival_end),
            eta=local_time(eta) if eta else "",
            reason=notice.details.get("reason", ""),
            calendar_events=CALENDAR_EVENTS,
            links=answer_links(visit) if event in ANSWERABLE_EVENTS else {},
        )
        queue_mail(notice.recipient.email, notice.subject, text, html, attachments=attachments)


CHANNELS: tuple[Channel, ...] = (EmailChannel(),)


def visit_recipients(visit: Visit) -> list[Recipient]:
    """Who hears about the visit: the customer's active portal users (but those who turned off
    appointment e-mails for its property), and the contact who asked from a sticker (in the
    company's language); each address once."""
    work_order = visit.work_order
    turned_off = opted_out_user_ids(work_order.property_id)
    found = [
        Recipient(user.email, user.name, language_of(user))
        for user in work_order.customer.portal_users
        if user.active and user.id not in turned_off
    ]
    request = work_order.service_request
    if request is not None and request.source == RequestSource.QR and request.contact_email:
        default = current_app.config["BABEL_DEFAULT_LOCALE"]
        found.append(Recipient(request.contact_email, request.contact_name, default))
    unique: dict[str, Recipient] = {}
    for recipient in found:
        unique.setdefault(recipient.email.strip().lower(), recipient)
    return list(unique.values())


def notify_visit(visit: Visit, event: str, **details) -> int:
    """Tell the visit's recipients that `event` happened (one of EVENTS), on every channel;
    returns how many recipients were told. Call it inside the transaction that made the
    change."""
    if event not in SUBJECTS:
        raise ValueError(f"unknown visit event {event!r}")
    recipients = visit_recipients(visit)
    for recipient in recipients:
        notice = VisitNotice(visit, event, recipient, details)
        with force_locale(recipient.language):
            for channel in CHANNELS:
                channel.send(notice)
    return len(recipients)
