"""Sticker codes: the QR token in the URL and the short label code a person can type.

Both use Crockford base32 (digits and uppercase letters without I, L, O, U), so the whole
sticker URL stays in the QR alphanumeric mode and a smudged 0/O or 1/I still reads right.
"""

import secrets
from urllib.parse import urlsplit

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_BITS = 80
LABEL_DATA_CHARS = 8

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_crockford(chars: int) -> str:
    """`chars` Crockford symbols from the operating system's CSPRNG (5 bits each)."""
    value = secrets.randbits(chars * 5)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(chars)))


def new_qr_token() -> str:
    """An unguessable sticker token: 80 random bits as 16 Crockford symbols."""
    return random_crockford(TOKEN_BITS // 5)


def check_symbol(data: str) -> str:
    """The Luhn mod 32 check symbol for a string of Crockford digits.

    It is itself a Crockford digit (Crockford's own mod 37 would add symbols such as $ and ~
    that are awkward to type on a phone) and catches every single mistyped symbol and
    almost every swap of two neighbours.
    """
    total, factor = 0, 2
    for char in reversed(data):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[-total % 32]


def new_label_code() -> str:
    """A printed label code: eight random symbols and a check symbol, stored without dashes."""
    data = random_crockford(LABEL_DATA_CHARS)
    return data + check_symbol(data)


def format_label_code(code: str) -> str:
    """How the code is printed: ABCD-EFGH-J."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


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
