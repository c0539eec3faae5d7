"""The links in a visit e-mail that answer it without signing in: confirm, reschedule, cancel.

Only the SHA-256 of a link's token is stored; the token is in the e-mail. A link works once,
until the visit's arrival window ends. A used link is the customer's answer: when, and for a
cancel, why; the board and the dashboard show it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.enums import VisitAnswer
from app.models.scheduling import Visit


class VisitAnswerLink(TimestampMixin, db.Model):
    __tablename__ = "visit_answer_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[VisitAnswer] = enum_column(VisitAnswer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # What the customer wrote when cancelling.
    reason: Mapped[str] = mapped_column(Text, default="")

    visit: Mapped[Visit] = relationship()

    def __str__(self) -> str:
        return f"{self.visit}: {self.purpose.value}"
