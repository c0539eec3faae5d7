"""A quote's drawn signature: the PNG the signature pad posts, read, checked and cleaned."""

import base64
import binascii
import io

from flask_babel import gettext as _
from PIL import Image, ImageChops, UnidentifiedImageError

from app.services.quote_errors import QuoteError

MAX_SIGNATURE_DATA_URL = 2_000_000  # characters of the data URL the page posts
MAX_SIGNATURE_BYTES = 1_000_000
MAX_SIGNATURE_SIDE = 4000
SIGNATURE_WIDTH = 1200  # stored signatures are at most this wide
MIN_INK_PIXELS = 40  # fewer dark pixels than this is a blank box or a stray tap
PNG_DATA_URL = "data:image/png;base64,"


def signature_from_data_url(value: str | None) -> bytes | None:
    """The PNG bytes of the data URL the signature pad posts; None when nothing was drawn."""
    value = (value or "").strip()
    if not value:
        return None
    unreadable = QuoteError(
        _("We could not read your signature. Please clear it and sign again."), field="signature"
    )
    if len(value) > MAX_SIGNATURE_DATA_URL:
        raise QuoteError(
            _("That signature is too large. Please clear it and sign again."), field="signature"
        )
    if not value.startswith(PNG_DATA_URL):
        raise unreadable
    try:
        return base64.b64decode(value[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise unreadable from None


def signed_fields(form) -> dict:
    """What every signing form (`signing_form` in _signature_pad.html) posts, as the services
    take it: the typed full name, the drawn signature (None for a typed one) and the hash of
    what the signer was shown."""
    return {
        "signer_name": form.get("signer_name", ""),
        "signature_png": signature_from_data_url(form.get("signature")),
        "shown_hash": form.get("shown_hash", ""),
    }


def clean_signature(data: bytes) -> bytes:
    """A drawn signature re-encoded as a PNG, cropped to the ink; QuoteError for anything that
    is not a readable PNG of a sensible size, or is blank."""
    unreadable = QuoteError(
        _("We could not read your signature. Please clear it and sign again."), field="signature"
    )
    if len(data) > MAX_SIGNATURE_BYTES:
        raise QuoteError(
            _("That signature is too large. Please clear it and sign again."), field="signature"
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != "PNG" or max(probe.size) > MAX_SIGNATURE_SIDE:
                raise unreadable
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            drawing = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    opaque = drawing.getchannel("A").point(lambda v: 255 if v > 40 else 0)
    dark = drawing.convert("L").point(lambda v: 255 if v < 160 else 0)
    ink = ImageChops.multiply(opaque, dark)
    if ink.histogram()[255] < MIN_INK_PIXELS:
        raise QuoteError(
            _("The signature box is empty. Please sign with your finger or mouse."),
            field="signature",
        )
    left, top, right, bottom = ink.getbbox()
    pad = 8
    width, height = drawing.size
    drawing = drawing.crop(
        (max(left - pad, 0), max(top - pad, 0), min(right + pad, width), min(bottom + pad, height))
    )
    drawing.thumbnail((SIGNATURE_WIDTH, SIGNATURE_WIDTH))
    out = io.BytesIO()
    drawing.save(out, "PNG", optimize=True)
    return out.getvalue()
