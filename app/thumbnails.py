"""Small previews of stored photos, made once and kept in storage beside the originals.

A photo's thumbnail is a JPEG at most THUMBNAIL_SIDE px on its long side, stored under
`thumbnails/<the original's key>.jpg`: the first page or request that wants it makes it,
every later one reads the file. It is a copy that can always be made again, so it is not
tied to a database transaction (storage.py) and a lost one is simply made anew. Thumbnails
are served only by the views that serve the original, after the same access check.
"""

import io
import secrets
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from PIL import Image, UnidentifiedImageError

from app.storage import decode_slot, path_for, send_private_file

THUMBNAIL_SIDE = 320
THUMBNAIL_FOLDER = "thumbnails"


@dataclass(frozen=True)
class Thumbnail:
    path: Path
    width: int
    height: int


def _render(source: Path) -> bytes | None:
    """The thumbnail's JPEG bytes, or None when the file is not a picture we can read."""
    try:
        with decode_slot(), Image.open(source) as image:
            image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at low size
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            if image.mode in ("RGBA", "LA", "P"):
                flat = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                image = flat
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _write(path: Path, data: bytes) -> None:
    """Write under a temporary name and rename, so a reader never sees half a file (two
    requests making the same thumbnail at once both write whole files; the last one stays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)


def thumbnail(stored) -> Thumbnail | None:
    """The thumbnail of a record's stored picture (StoredFileMixin), made on first use.

    None when the record is not a picture, its file is gone, or it cannot be read (the
    page then links the original without a preview); a full disk only costs the preview.
    """
    if not (stored.content_type or "").startswith("image/"):
        return None
    try:
        source = path_for(stored.storage_key)
        path = path_for(f"{THUMBNAIL_FOLDER}/{stored.storage_key}.jpg")
    except ValueError:
        return None
    if not source.is_file():
        return None
    if not path.is_file():
        data = _render(source)
        if data is None:
            return None
        try:
            _write(path, data)
        except OSError:
            return None
    try:
        found = path.stat()
        return Thumbnail(path, *_size_of(str(path), found.st_mtime_ns, found.st_size))
    except (UnidentifiedImageError, OSError):
        return None


@lru_cache(maxsize=4096)
def _size_of(path: str, modified_ns: int, size: int) -> tuple[int, int]:
    """A thumbnail's width and height from its header, kept per path, mtime and size (a page
    of photos asked for each of them on every view)."""
    with Image.open(path) as image:
        return image.size


def send_thumbnail(stored):
    """The thumbnail as a response when the page asked for one (`?thumb=1`) and there is one,
    else None (the caller sends the original). Call it only after the original's access check."""
    if not request.args.get("thumb"):
        return None
    small = thumbnail(stored)
    if small is None:
        return None
    return send_private_file(small.path, mimetype="image/jpeg", inline=True)


def init_app(app: Flask) -> None:
    app.add_template_global(thumbnail)
