"""Small previews of stored photos."""

import io

from PIL import Image, UnidentifiedImageError

from app.storage import path_for

THUMBNAIL_SIDE = 320


def photo_thumbnail(storage_key: str) -> bytes | None:
    """A small JPEG of a stored photo, or None when its file is missing or not a picture."""
    try:
        with Image.open(path_for(storage_key)) as image:
            image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at low size
            image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            if image.mode in ("RGBA", "LA", "P"):
                flat = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                image = flat
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
