"""Serving stored files to staff, after the same access check as the record they belong to."""

from flask import Blueprint, abort

from app.auth.roles import access_to, current_staff
from app.extensions import db
from app.models import Document, Job, ServiceRequestPhoto
from app.models.enums import JobStatus
from app.queries.work import work_order_photo_for
from app.storage import existing_path, send_private_file
from app.thumbnails import send_thumbnail

bp = Blueprint("staff_files", __name__, url_prefix="/admin/files", template_folder="templates")


def _send_key(key: str, filename: str, *, inline: bool, mimetype: str | None = None):
    path = existing_path(key)
    if path is None:
        abort(404)
    return send_private_file(path, mimetype=mimetype, download_name=filename, inline=inline)


def _send(stored, *, inline: bool):
    """A record's file (StoredFileMixin), as an attachment unless `inline`; a picture's
    thumbnail when the page asks for one (`?thumb=1`)."""
    return send_thumbnail(stored) or _send_key(
        stored.storage_key, stored.filename or "file", inline=inline, mimetype=stored.content_type
    )


@bp.get("/work-order-photos/<int:photo_id>")
def work_order_photo(photo_id: int):
    staff = current_staff()
    if staff is None or access_to("work") is None:
        abort(404)
    photo = work_order_photo_for(staff, photo_id)
    if photo is None:
        abort(404)
    return _send(photo, inline=True)


def _record_file(model, record_id: int, area: str):
    """A record's file for staff with access to `area`; pictures open in the browser."""
    if access_to(area) is None:
        abort(404)
    stored = db.session.get(model, record_id)
    if stored is None:
        abort(404)
    return _send(stored, inline=stored.content_type.startswith("image/"))


@bp.get("/request-photos/<int:photo_id>")
def request_photo(photo_id: int):
    return _record_file(ServiceRequestPhoto, photo_id, "requests")


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    return _record_file(Document, document_id, "documents")


def _finished_job(job_id: int) -> Job:
    if access_to("jobs") is None:
        abort(404)
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.FINISHED or not job.result_key:
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
def job_result(job_id: int):
    job = _finished_job(job_id)
    return _send_key(job.result_key, job.result_filename, inline=False)


@bp.get("/jobs/<int:job_id>/<int:number>")
def job_extra_file(job_id: int, number: int):
    """A file that came with a job's result (numbered from 1), such as a packing list."""
    extras = _finished_job(job_id).extra_files or []
    if not 1 <= number <= len(extras):
        abort(404)
    extra = extras[number - 1]
    return _send_key(extra["key"], extra["filename"], inline=False)
