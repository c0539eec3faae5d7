"""Stickers printed before they have a unit: bound on the spot by a technician's first scan."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime
from app.models.equipment import Unit
from app.models.people import StaffUser
from app.models.sticker_codes import format_label_code, new_label_code, new_qr_token


class BlankSticker(TimestampMixin, db.Model):
    """A printed sticker with a token and label code but no unit yet.

    Binding gives the unit this sticker's token and label code (the unit's old sticker stops
    working) and records which unit it went to.
    """

    __tablename__ = "blank_stickers"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_qr_token)
    label_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_label_code)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    bound_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    created_by: Mapped[StaffUser | None] = relationship(foreign_keys=[created_by_id])
    bound_unit: Mapped[Unit | None] = relationship()

    @property
    def printed_label_code(self) -> str:
        return format_label_code(self.label_code)

    def __str__(self) -> str:
        return self.printed_label_code
