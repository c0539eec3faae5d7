"""What a portal user chose not to be e-mailed: appointment e-mails about one property."""

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin


class AppointmentEmailOptOut(TimestampMixin, db.Model):
    """No visit e-mails (booked, moved, cancelled, reminders, on the way) to this portal user
    about this property. Without a row they get them."""

    __tablename__ = "appointment_email_opt_outs"
    __table_args__ = (UniqueConstraint("portal_user_id", "property_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_user_id: Mapped[int] = mapped_column(ForeignKey("portal_users.id", ondelete="CASCADE"))
    property_id: Mapped[int] = mapped_column(
        ForeignKey("properties.id", ondelete="CASCADE"), index=True
    )

    def __str__(self) -> str:
        return f"portal user {self.portal_user_id}: no appointment e-mails for {self.property_id}"
