"""Serving the portal's stored files: pictures inline (or their thumbnails), anything else as
a download."""

from flask import current_app, render_template

from app.storage import existing_path, send_private_file
from app.thumbnails import send_thumbnail

# Served inline: pictures the browser shows safely (uploads are re-encoded to these).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def send_stored(stored, *, download_name: str | None = None):
    """A record's stored file (StoredFileMixin): pictures inline, anything else as a download.

    Call it only with a record that came through the customer's scope. A record whose file
    is missing from storage gets a page saying so (410), not a 404: the record is theirs.
    """
    path = existing_path(stored.storage_key)
    if path is None:
        current_app.logger.warning(
            "Stored file missing for %s %s", type(stored).__name__, stored.id
        )
        return render_template("portal/file_missing.html"), 410
    return send_private_file(
        path,
        mimetype=stored.content_type,
        download_name=download_name or stored.filename or "file",
        inline=stored.content_type in INLINE_TYPES,
    )


def send_picture(stored):
    """send_stored, or the picture's thumbnail when the page asks for one (`?thumb=1`)."""
    return send_thumbnail(stored) or send_stored(stored)
