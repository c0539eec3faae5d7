"""Bookkeeping rows: background jobs and the audit trail."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.enums import ActorKind, JobStatus
from app.models.people import StaffUser


class Job(TimestampMixin, db.Model):
    """A background job (sticker sheet, compliance report), with progress and its result file."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    result_key: Mapped[str | None] = mapped_column(String(255))
    result_filename: Mapped[str] = mapped_column(String(255), default="")
    # Files that come with the result (a sticker sheet's packing list): [{"key", "filename"}].
    extra_files: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[StaffUser | None] = relationship()

    def __str__(self) -> str:
        return f"{self.kind} #{self.id}"


class AuditEvent(db.Model):
    """Who did what to which record, when, and from where. Written, never edited."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_kind: Mapped[ActorKind] = enum_column(ActorKind)
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str] = mapped_column(String(45), default="")

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} #{self.object_id}"
