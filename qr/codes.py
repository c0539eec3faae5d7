"""Sticker codes as people and scanners meet them: a typed label code read back, and the URL
a sticker's QR code holds. How tokens and label codes are made: app/models/sticker_codes.py.
"""

from urllib.parse import urlsplit

from app.models.sticker_codes import ALPHABET, LABEL_DATA_CHARS, check_symbol

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_label_code(typed: str) -> str | None:
    """What a person typed, as a stored label code, or None when it cannot be one.

    Dashes, spaces and case are ignored and O/I/L read as 0/1; the check symbol must match.
    """
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LABEL_DATA_CHARS + 1 or any(char not in ALPHABET for char in code):
        return None
    data, check = code[:LABEL_DATA_CHARS], code[LABEL_DATA_CHARS:]
    return code if check_symbol(data) == check else None


def sticker_url(base_url: str, token: str) -> str:
    """The URL printed in a sticker's QR code.

    Scheme and host are case-insensitive, so they are uppercased, and the app answers
    /U/<token> like /u/<token>: with no path prefix the whole URL stays in the QR alphanumeric
    mode. A path prefix (PUBLIC_BASE_URL=https://example.com/service) is kept exactly as
    given, since paths are case-sensitive; a lowercase one makes the code a little denser.
    """
    parts = urlsplit(base_url.rstrip("/"))
    return f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}/U/{token.upper()}"
