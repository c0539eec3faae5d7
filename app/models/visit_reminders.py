"""The reminders sent the day before visits: one row per visit and arrival time reminded, so
each reminder goes once however often `flask send-reminders` runs, and a visit that moves is
reminded of its new time."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.scheduling import Visit


class VisitReminder(db.Model):
    __tablename__ = "visit_reminders"
    __table_args__ = (UniqueConstraint("visit_id", "arrival_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    # The arrival the reminder was about (the visit's arrival_start when it was sent).
    arrival_start: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit: Mapped[Visit] = relationship()

    def __str__(self) -> str:
        return f"{self.visit}: reminded {self.sent_at:%Y-%m-%d %H:%M} UTC"
