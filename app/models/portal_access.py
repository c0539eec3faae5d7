"""Single-use links that let a portal user in: invitations (7 days) and login links (15 min)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, enum_column
from app.models.enums import LinkPurpose
from app.models.people import PortalUser


class PortalLink(TimestampMixin, db.Model):
    """A sign-in link. Only the SHA-256 of its token is stored; the token is in the e-mail."""

    __tablename__ = "portal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_user_id: Mapped[int] = mapped_column(ForeignKey("portal_users.id"), index=True)
    purpose: Mapped[LinkPurpose] = enum_column(LinkPurpose)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_from: Mapped[str] = mapped_column(String(45), default="")
    # Set when the address it was sent to stopped being the user's, or the user was disabled.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    portal_user: Mapped[PortalUser] = relationship()
