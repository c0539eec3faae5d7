"""Service requests: submitted from a sticker, attached when repeated, converted or dismissed."""

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import (
    PortalUser,
    Property,
    RepeatReport,
    ServiceRequest,
    ServiceRequestPhoto,
    StaffUser,
    Unit,
    WorkOrder,
    WorkOrderPhoto,
)
from app.models.base import utcnow
from app.models.enums import (
    Priority,
    RequestSource,
    RequestStatus,
    StaffRole,
    TimeWindow,
    WorkOrderStatus,
)
from app.models.numbering import NumberSequence, format_number
from app.models.work import preferred_days
from app.row_locks import hold_rows
from app.services.audit import record
from app.services.company import office_address, to_local
from app.services.scheduling import DEFAULT_WINDOW, Slot, book_visit
from app.storage import StoredFile, read_bytes, save_bytes, save_image
from app.urls import public_url

MAX_PHOTOS = 2
STATUS_TOKEN_BYTES = 24
log = logging.getLogger(__name__)


class RequestError(UserError):
    """A request operation that cannot be done; the message is safe to show."""


@dataclass(frozen=True)
class RequestDetails:
    """What someone asking for service tells us (the columns of RequestDetailsMixin)."""

    contact_name: str
    contact_phone: str
    contact_email: str
    description: str
    preferred_date: date | None = None  # the first choice
    preferred_window: TimeWindow = TimeWindow.ANY
    second_preferred_date: date | None = None
    third_preferred_date: date | None = None

    @property
    def preferred_dates(self) -> list[date]:
        return preferred_days(self)


@dataclass(frozen=True)
class Submission:
    request: ServiceRequest
    status_token: str | None  # the private status link's token (sticker requests only)
    is_repeat: bool


def _new_status_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(STATUS_TOKEN_BYTES)
    return token, hash_status_token(token)


def hash_status_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def store_request_photos(uploads) -> list[StoredFile]:
    """Check and store up to two photos before anything is written to the database.

    All or nothing: the files belong to the transaction, so when one of them is refused (or
    the request is not recorded after all) the caller's rollback removes those stored.
    """
    uploads = [u for u in uploads if u and u.filename]
    if len(uploads) > MAX_PHOTOS:
        raise RequestError(_("Please attach at most %(num)s photos.", num=MAX_PHOTOS))
    return [save_image(upload, folder="request-photos") for upload in uploads]


def submit_sticker_request(
    unit: Unit, details: RequestDetails, photos: list[StoredFile], *, ip_address: str
) -> Submission:
    """Record a request made from a unit's sticker, tagged with the unit, property and customer.

    When the unit already has an open request, this report is attached to it (and counted)
    rather than opening a second queue entry. The office is e-mailed either way; the
    requester too, with a private status link, when they gave an e-mail address.
    """
    return _submit(
        details,
        photos,
        source=RequestSource.QR,
        unit=unit,
        prop=unit.property,
        portal_user=None,
        with_status_link=True,
        ip_address=ip_address,
    )


def submit_portal_request(
    portal_user: PortalUser,
    details: RequestDetails,
    photos: list[StoredFile],
    *,
    unit: Unit | None = None,
    prop: Property | None = None,
    ip_address: str,
) -> Submission:
    """Record a request a signed-in customer made in the portal, about a unit or a property.

    It joins the same dispatch queue as sticker requests, and a unit's open request takes a
    repeat report the same way. No status link: the customer follows it in the portal.
    """
    if unit is not None:
        prop = unit.property
    if prop is None or prop.customer_id != portal_user.customer_id:
        raise RequestError(_("Choose one of your units or properties."))
    return _submit(
        details,
        photos,
        source=RequestSource.PORTAL,
        unit=unit,
        prop=prop,
        portal_user=portal_user,
        with_status_link=False,
        ip_address=ip_address,
    )


def _open_request_for(unit: Unit) -> ServiceRequest | None:
    """The unit's open request, if any, with the unit locked until the caller commits."""
    # One submission per unit at a time, so two people reporting at once make one request.
    hold_rows(Unit, [unit.id])
    return db.session.scalar(
        select(ServiceRequest)
        .where(ServiceRequest.unit_id == unit.id, ServiceRequest.status == RequestStatus.NEW)
        .order_by(ServiceRequest.created_at)
        .limit(1)
    )


def _submit(
    details: RequestDetails,
    photos: list[StoredFile],
    *,
    source: RequestSource,
    unit: Unit | None,
    prop: Property,
    portal_user: PortalUser | None,
    with_status_link: bool,
    ip_address: str,
) -> Submission:
    """What every submission does: open a request or add a repeat report, photos, audit, mail."""
    if not (details.contact_phone or details.contact_email):
        raise RequestError(_("Please give a phone number or an e-mail address."))
    token, token_hash = _new_status_token() if with_status_link else (None, None)
    request = _open_request_for(unit) if unit is not None else None
    is_repeat = request is not None
    if is_repeat:
        request.report_count += 1
        db.session.add(
            RepeatReport(
                request=request, source=source, status_token_hash=token_hash, **vars(details)
            )
        )
    else:
        request = ServiceRequest(
            source=source,
            unit=unit,
            property=prop,
            customer=prop.customer,
            portal_user=portal_user,
            status_token_hash=token_hash,
            **vars(details),
        )
        db.session.add(request)
    for stored in photos:
        db.session.add(ServiceRequestPhoto(request=request, **stored.fields()))
    db.session.flush()
    record(
        "repeat_report" if is_repeat else "request_submitted",
        request,
        actor=portal_user,
        ip_address=ip_address,
    )
    _mail_office(request, details, is_repeat)
    if token and details.contact_email:
        _mail_requester(request, details, token)
    return Submission(request, token, is_repeat)


def _mail_office(request: ServiceRequest, details: RequestDetails, is_repeat: bool) -> None:
    subject = (
        _(
            "Reported again (%(count)s times): %(number)s",
            count=request.report_count,
            number=request.number,
        )
        if is_repeat
        else _("New service request %(number)s", number=request.number)
    )
    queue_mail(
        office_address(),
        subject,
        *render_branded("request_to_office", request=request, details=details, is_repeat=is_repeat),
        reply_to=details.contact_email or None,
    )


def _mail_requester(request: ServiceRequest, details: RequestDetails, token: str) -> None:
    queue_mail(
        details.contact_email,
        _("We received your service request %(number)s", number=request.number),
        *render_branded(
            "request_received",
            request=request,
            details=details,
            status_url=public_url("qr.request_status", token=token),
        ),
    )


@dataclass(frozen=True)
class RequestStatusView:
    """What a requester's private status link shows: the request's number and where it stands."""

    number: str
    state: str  # received, scheduled, done, closed; known (a repeat report's view of an open one)
    scheduled_for: datetime | None = None  # set when scheduled


DECOY_SALT = b"tuffops honeypot decoy status link"
DECOY_MAC_BYTES = 8


def _decoy_mac(body: bytes) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, DECOY_SALT + body, hashlib.sha256).digest()[:DECOY_MAC_BYTES]


def decoy_status_token() -> str:
    """A status link for a bot that filled the honeypot, so its answer looks like anyone's.

    Shaped like a real token (as many bytes, the same URL-safe alphabet, every character as
    random-looking) but holding, hidden under a keyed pad, the request number a real request
    would have had now, and a signature; nothing is stored, and the status page shows it as
    received.
    """
    last = db.session.scalar(
        select(NumberSequence.last_value).where(NumberSequence.name == ServiceRequest.NUMBER_PREFIX)
    )
    nonce = secrets.token_bytes(STATUS_TOKEN_BYTES - 4 - DECOY_MAC_BYTES)
    body = nonce + _xor(((last or 0) + 1).to_bytes(4, "big"), _decoy_mac(b"pad" + nonce))
    return base64.urlsafe_b64encode(body + _decoy_mac(body)).rstrip(b"=").decode()


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=False))


def _decoy_status(token: str) -> RequestStatusView | None:
    try:
        raw = base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    body, mac = raw[:-DECOY_MAC_BYTES], raw[-DECOY_MAC_BYTES:]
    if len(raw) != STATUS_TOKEN_BYTES or not hmac.compare_digest(mac, _decoy_mac(body)):
        return None
    nonce, hidden = body[:-4], body[-4:]
    number = int.from_bytes(_xor(hidden, _decoy_mac(b"pad" + nonce)), "big")
    return RequestStatusView(format_number(ServiceRequest.NUMBER_PREFIX, number), "received")


def request_status(token: str) -> RequestStatusView | None:
    """The status behind a private status-link token (or a honeypot's decoy), or None for an
    unknown token."""
    token_hash = hash_status_token(token)
    request = db.session.scalar(
        select(ServiceRequest).where(ServiceRequest.status_token_hash == token_hash)
    )
    if request is not None:
        return request_state(request)
    report = db.session.scalar(
        select(RepeatReport).where(RepeatReport.status_token_hash == token_hash)
    )
    if report is not None:
        return _as_seen_by_another_reporter(request_state(report.request))
    return _decoy_status(token)


def _as_seen_by_another_reporter(status: RequestStatusView) -> RequestStatusView:
    """Someone whose report was folded into an open request learns that the problem is known
    and handled, not when a visit was booked with the first reporter."""
    if status.state in ("received", "scheduled"):
        return RequestStatusView(status.number, "known")
    return status


def request_state(request: ServiceRequest) -> RequestStatusView:
    """Where a request stands, as the customer understands it (uses `request.work_order`).

    It is "scheduled" only once its work order has a visit time; a work order without one is
    still "received" for the customer, who is waiting to hear when someone comes.
    """
    if request.status == RequestStatus.DISMISSED:
        return RequestStatusView(request.number, "closed")
    work_order = request.work_order
    if work_order is None:
        return RequestStatusView(request.number, "received")
    if work_order.status == WorkOrderStatus.COMPLETED:
        return RequestStatusView(request.number, "done")
    if work_order.status == WorkOrderStatus.CANCELLED:
        return RequestStatusView(request.number, "closed")
    if work_order.first_arrival is None:
        return RequestStatusView(request.number, "received")
    return RequestStatusView(request.number, "scheduled", to_local(work_order.first_arrival))


def _lock_open_request(request_id: int) -> ServiceRequest:
    hold_rows(ServiceRequest, [request_id])
    request = db.session.get(ServiceRequest, request_id, populate_existing=True)
    if request is None:
        raise RequestError(_("That request no longer exists."))
    if request.status == RequestStatus.CONVERTED:
        raise RequestError(_("Request %(number)s was already converted.", number=request.number))
    if request.status != RequestStatus.NEW:
        raise RequestError(_("Request %(number)s was already dismissed.", number=request.number))
    return request


def convert_request_to_work_order(
    request_id: int,
    *,
    technician: StaffUser | None,
    window_start: datetime | None,
    window_end: datetime | None,
    priority: Priority,
    summary: str,
    actor,
) -> WorkOrder:
    """Turn an open request into a work order for its unit, property and customer (once only),
    with a first visit in the window given. The dispatcher chose that window and technician, so
    it is booked even where they clash; the audit event names the clash, the board shows it."""
    request = _lock_open_request(request_id)
    if request.property is None:
        raise RequestError(_("Set the request's property before converting it."))
    if technician is not None and technician.role != StaffRole.TECHNICIAN:
        raise RequestError(_("Choose a technician."))
    if window_start and window_end and window_end <= window_start:
        raise RequestError(_("The visit window must end after it starts."))
    description = request.description
    for report in request.repeat_reports:
        description += f"\n\nAlso reported by {report.contact_name}: {report.description}"
    work_order = WorkOrder(
        customer=request.property.customer,
        property=request.property,
        unit=request.unit,
        service_request=request,
        technician=technician,
        status=WorkOrderStatus.NEW,
        priority=priority,
        summary=summary.strip()[:200] or request.description[:200],
        description=description,
        contact_name=request.contact_name,
        contact_phone=request.contact_phone,
    )
    db.session.add(work_order)
    _copy_photos(request, work_order)
    request.status, request.closed_at = RequestStatus.CONVERTED, utcnow()
    db.session.flush()
    record("request_converted", request, actor=actor, summary=f"{request.number} → {work_order}")
    if window_start:
        first_visit = Slot(
            window_start,
            window_end or window_start + DEFAULT_WINDOW,
            technician_id=technician.id if technician else None,
        )
        book_visit(work_order, first_visit, actor=actor, book_anyway=True)
    return work_order


def _copy_photos(request: ServiceRequest, work_order: WorkOrder) -> None:
    """The requester's photos become the work order's, as files of their own: the request
    keeps its photos, and deleting one never takes the other's away."""
    for photo in request.photos:
        copy = save_bytes(
            read_bytes(photo.storage_key),
            folder="work-order-photos",
            suffix=Path(photo.storage_key).suffix,
            filename=photo.filename,
            content_type=photo.content_type,
        )
        work_order.photos.append(
            WorkOrderPhoto(
                caption=_("Photo from %(name)s", name=request.contact_name)[:200],
                **copy.fields(),
            )
        )


def dismiss_request(request_id: int, *, reason: str, actor) -> ServiceRequest:
    """Close an open request without a work order, saying why."""
    reason = reason.strip()
    if not reason:
        raise RequestError(_("Say why the request is dismissed."))
    request = _lock_open_request(request_id)
    request.status, request.dismissed_reason, request.closed_at = (
        RequestStatus.DISMISSED,
        reason,
        utcnow(),
    )
    record("request_dismissed", request, actor=actor, summary=f"{request.number}: {reason}")
    return request
