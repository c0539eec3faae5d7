"""Photos and the time on site, recorded on the job page. Each function flushes and audits; the
view commits."""

from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import gettext as _

from app.extensions import db
from app.models import StaffUser, Visit, WorkOrder, WorkOrderPhoto
from app.models.enums import PhotoStage, StaffRole, VisitStatus
from app.services.audit import changes_of, record
from app.services.company import from_local, local_day
from app.services.job import JobError
from app.storage import save_image

PHOTO_FOLDER = "work-order-photos"


def add_photo(
    work_order: WorkOrder, upload, *, stage: PhotoStage | None, caption: str, actor: StaffUser
) -> WorkOrderPhoto:
    """A photo of the job (re-encoded; anything but a readable picture of a sensible size is
    refused with app.storage's message)."""
    if upload is None or not upload.filename:
        raise JobError(_("Take or choose a photo first."))
    stored = save_image(upload, folder=PHOTO_FOLDER)
    photo = WorkOrderPhoto(
        **stored.fields(), stage=stage, caption=caption.strip()[:200], uploaded_by=actor
    )
    work_order.photos.append(photo)
    db.session.flush()
    record("add_photo", photo, actor=actor, summary=f"{work_order.number}: {photo}")
    return photo


@dataclass(frozen=True)
class TimeOnSite:
    visit: Visit
    start: datetime | None  # the confirmed time, else when they pressed Arrived
    end: datetime | None  # the confirmed time, else when they pressed Done
    confirmed: bool

    @property
    def minutes(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return int((self.end - self.start).total_seconds() // 60)


def time_on_site(visit: Visit) -> TimeOnSite:
    """The visit's time on site: as confirmed on the job page, or else from Arrived and Done."""
    if visit.on_site_from is not None:
        return TimeOnSite(visit, visit.on_site_from, visit.on_site_until, True)
    stepped = {change.status: change.changed_at for change in visit.status_changes}
    return TimeOnSite(visit, stepped.get(VisitStatus.ON_SITE), stepped.get(VisitStatus.DONE), False)


def may_confirm_time(visit: Visit, staff: StaffUser) -> bool:
    """Whether `staff` may confirm the visit's time on site: its own technicians (lead or
    helper) and the office; a colleague on another visit of the same job may not."""
    if staff.role != StaffRole.TECHNICIAN:
        return True
    return staff.id in {technician.id for technician in visit.technicians}


def confirm_time_on_site(visit: Visit, start: time, end: time, *, actor: StaffUser) -> Visit:
    """Keep the time on site the technician confirms (times of day on the visit's day)."""
    if not may_confirm_time(visit, actor):
        names = ", ".join(technician.name for technician in visit.technicians)
        raise JobError(
            _(
                "Only the technicians on this visit (%(names)s) or the office can confirm its "
                "time on site.",
                names=names or _("none yet"),
            )
        )
    day = local_day(time_on_site(visit).start or visit.arrival_start)
    visit.on_site_from = from_local(datetime.combine(day, start))
    visit.on_site_until = from_local(datetime.combine(day, end))
    if visit.on_site_until <= visit.on_site_from:
        raise JobError(_("The time you left must be after the time you arrived."))
    changes = changes_of(visit)
    db.session.flush()
    summary = f"{visit.work_order.number}: time on site"
    record("update", visit, actor=actor, changes=changes, summary=summary)
    return visit
