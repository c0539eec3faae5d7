"""Uploaded and generated files: kept under STORAGE_DIR, never under static/.

Uploads are checked by their content, not their name: images are decoded and re-encoded
(which drops metadata such as GPS positions and anything hidden after the image data),
PDFs must start like a PDF. Files are served only by views that check access first.

A file belongs to the database transaction it was written in: it is kept when that
transaction commits and removed when it rolls back or ends without a commit (a failed
request, a failed job), so no file is left behind that no record points at.

Decoding is what costs memory (a 24 MP photo is about 100 MB decoded), so an image's size is
read from its header and refused above MAX_IMAGE_PIXELS before any decoding, JPEGs are decoded
straight at the reduced size (`draft`), and a process decodes at most IMAGE_DECODES_AT_ONCE
images at a time.
"""

import io
import secrets
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.errors import UserError
from app.extensions import db

MAX_IMAGE_SIDE = 2400
_PENDING_FILES = "tuffops_pending_files"
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "HEIF", "MPO", "BMP", "TIFF"}


class UploadRejected(UserError):
    """The file is not one we accept; the message is safe to show the person who sent it."""


class StorageUnavailable(UploadRejected):
    """The file could not be written (disk full, storage not writable); nothing was kept."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    filename: str
    content_type: str
    size_bytes: int

    def fields(self) -> dict:
        """Column values for records using StoredFileMixin."""
        return {
            "storage_key": self.key,
            "filename": self.filename,
            "content_type": self.content_type,
            "size_bytes": self.size_bytes,
        }


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def path_for(key: str) -> Path:
    """The file on disk for a storage key; refuses keys that would leave the storage folder."""
    root = _root().resolve()
    path = (root / key).resolve()
    if root not in path.parents:
        raise ValueError("storage key outside the storage folder")
    return path


def existing_path(key: str) -> Path | None:
    """The stored file for `key` if it is on disk; None for a missing file or a bad key."""
    try:
        path = path_for(key)
    except ValueError:
        return None
    return path if path.is_file() else None


def send_private_file(
    source: Path | bytes,
    *,
    mimetype: str | None,
    download_name: str | None = None,
    inline: bool = False,
) -> Response:
    """A file for the one person whose access the view has checked: a download named
    `download_name` (or shown in the browser when `inline`), never kept by a cache and never
    sniffed as another type. Every staff and portal file response goes through here (the public
    logo does not: it is the same for everyone and may be cached)."""
    body = io.BytesIO(source) if isinstance(source, bytes) else source
    response = send_file(
        body,
        mimetype=mimetype or "application/octet-stream",
        as_attachment=not inline,
        download_name=download_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def save_bytes(data: bytes, *, folder: str, suffix: str, filename: str, content_type: str):
    """Write `data` under a new random key and describe it."""
    return save_stream(
        lambda file: file.write(data),
        folder=folder,
        suffix=suffix,
        filename=filename,
        content_type=content_type,
    )


def save_stream(
    write: Callable[[BinaryIO], object],
    *,
    folder: str,
    suffix: str,
    filename: str,
    content_type: str,
) -> StoredFile:
    """Hand `write` a new file under a random key to fill, and describe it: a large result
    (a sticker sheet of thousands of labels) goes straight to disk, never whole into memory."""
    key = f"{folder}/{secrets.token_hex(16)}{suffix}"
    path = path_for(key)
    _pending_in(db.session()).append(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write(file)
            size = file.tell()
    except OSError as error:  # disk full, storage not writable
        raise StorageUnavailable(
            _("We could not store that file just now. Please try again later.")
        ) from error
    return StoredFile(key, filename, content_type, size)


def _pending_in(session: Session) -> list[Path]:
    """The files written in the session's current transaction (starting one if none is open,
    so that its end, commit or not, always settles them)."""
    if not session.in_transaction():
        session.begin()
    return session.info.setdefault(_PENDING_FILES, [])


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    if not session.in_nested_transaction():  # not a savepoint released: the real commit
        session.info.pop(_PENDING_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction (not a savepoint) ended
        for path in session.info.pop(_PENDING_FILES, []):
            with suppress(OSError):  # never written (storage not writable), or already gone
                path.unlink()


def read_bytes(key: str) -> bytes:
    return path_for(key).read_bytes()


def _safe_name(filename: str | None, suffix: str) -> str:
    stem = Path(filename or "file").stem
    cleaned = "".join(c for c in stem if c.isalnum() or c in "-_ ").strip()[:80] or "file"
    return cleaned + suffix


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` shrunk (never grown) so its longer side is at most `max_side`."""
    width, height = size
    scale = min(1.0, max_side / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _shrunk(image: Image.Image, max_side: int) -> Image.Image:
    """`image` decoded and shrunk to at most `max_side` px, letting go of the full-size pixels
    as early as possible: a picture twice the size or more is first halved (or more) by
    picking pixels, which needs no second full-size copy (smooth resampling of a transparent
    picture makes one), and the smooth resampling works on that."""
    image.load()
    factor = max(image.size) // max_side
    if factor >= 2:
        picked = image.resize(
            (image.width // factor, image.height // factor), Image.Resampling.NEAREST
        )
        picked.info = image.info  # keeps the EXIF orientation
        image.close()
        image = picked
    image.thumbnail((max_side, max_side))
    return image


@cache
def _decode_slots(size: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(size)


def decode_slot() -> threading.BoundedSemaphore:
    """The process-wide limit on images being decoded at once (hold it while decoding)."""
    return _decode_slots(current_app.config["IMAGE_DECODES_AT_ONCE"])


def reencode_image(data: bytes, *, max_side: int = MAX_IMAGE_SIDE) -> tuple[bytes, str, str]:
    """Decode an uploaded image and write it again as JPEG (or PNG when it has transparency).

    Returns (bytes, suffix, content type). Raises UploadRejected for anything that is not
    a readable image of a sensible size.
    """
    config = current_app.config
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            if probe.format not in IMAGE_FORMATS:
                raise UploadRejected(_("Please upload a photo (JPEG, PNG, GIF or WebP)."))
            if probe.width * probe.height > config["MAX_IMAGE_PIXELS"]:
                raise UploadRejected(_("That picture is too large. Please send a smaller one."))
            probe.verify()
        with decode_slot(), Image.open(io.BytesIO(data)) as full:
            full.draft(None, _fitted(full.size, max_side))  # JPEG: decode near the final size
            image = ImageOps.exif_transpose(_shrunk(full, max_side))
            out = io.BytesIO()
            has_alpha = image.mode in ("RGBA", "LA") or (
                image.mode == "P" and "transparency" in image.info
            )
            if has_alpha:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                return out.getvalue(), ".png", "image/png"
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue(), ".jpg", "image/jpeg"
    except UploadRejected:
        raise
    except Image.DecompressionBombError:  # Pillow's own (higher) limit, met when opening
        raise UploadRejected(_("That picture is too large. Please send a smaller one.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(_("That file is not a picture we can read.")) from None


def save_image(upload, *, folder: str, max_side: int = MAX_IMAGE_SIDE) -> StoredFile:
    """Store an uploaded image (a werkzeug FileStorage), re-encoded, at most `max_side` px."""
    return _save_upload(upload, *reencode_image(upload.read(), max_side=max_side), folder=folder)


def save_document(upload, *, folder: str) -> StoredFile:
    """Store an uploaded PDF as it is, or an image re-encoded; refuse anything else."""
    data = upload.read()
    if data.startswith(b"%PDF-"):
        return _save_upload(upload, data, ".pdf", "application/pdf", folder=folder)
    try:
        image = reencode_image(data)
    except UploadRejected:
        raise UploadRejected(_("Please upload a PDF or a picture.")) from None
    return _save_upload(upload, *image, folder=folder)


def _save_upload(upload, data: bytes, suffix: str, content_type: str, *, folder: str) -> StoredFile:
    """`data` stored under `folder`, named after the uploaded file's name with `suffix`."""
    return save_bytes(
        data,
        folder=folder,
        suffix=suffix,
        filename=_safe_name(upload.filename, suffix),
        content_type=content_type,
    )
