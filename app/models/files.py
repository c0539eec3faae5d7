"""Columns shared by every record that points at a stored file (see app.storage)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class StoredFileMixin:
    storage_key: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(default=0)
