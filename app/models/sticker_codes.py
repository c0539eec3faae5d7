"""The shape of a sticker's token and label code, as units and blank stickers are born with them.

Both use Crockford base32 (digits and uppercase letters without I, L, O, U), so the whole
sticker URL stays in the QR alphanumeric mode and a smudged 0/O or 1/I still reads right.
The records draw them as column defaults, so they live beside the models; reading a typed code
and building a sticker's URL belong to the sticker package (qr/codes.py).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN_BITS = 80
LABEL_DATA_CHARS = 8


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
