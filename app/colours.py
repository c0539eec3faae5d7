"""Colour contrast as WCAG 2.1 measures it, and a company's brand colour made readable.

The office picks any brand colour; pages use it behind white text (buttons, the header) and as
text on the page (links, ticks). A pale brand (yellow, light blue) would fail WCAG AA there, so
pages use the brand darkened, step by step toward black, until white text on it, and it on the
page background, reach 4.5:1. A colour that already passes is used as it is.
"""

import re
from functools import lru_cache

DEFAULT_BRAND = "#0b5cad"
TEXT_ON_BRAND = "#ffffff"
TEXT_ON_PALE = "#000000"
PAGE_BACKGROUND = "#f5f7fa"  # --bg in tuffops.css: the darkest background brand text sits on
AA_NORMAL_TEXT = 4.5
HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")

RGB = tuple[int, int, int]


def parse_hex(value: str | None) -> RGB | None:
    """(r, g, b) of "#rrggbb" (the # is optional), or None when it is not such a colour."""
    match = HEX_COLOUR.fullmatch((value or "").strip())
    if not match:
        return None
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: RGB | str, second: RGB | str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21 (order does not matter)."""
    lighter, darker = sorted(
        (relative_luminance(parse_hex(c) if isinstance(c, str) else c) for c in (first, second)),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def _darkened(rgb: RGB, amount: float) -> RGB:
    """`rgb` moved `amount` (0 to 1) of the way to black, hue kept."""
    return tuple(round(channel * (1 - amount)) for channel in rgb)


@lru_cache(maxsize=64)
def readable_brand_color(
    value: str | None, against: tuple[str, ...] = (TEXT_ON_BRAND, PAGE_BACKGROUND)
) -> str:
    """The brand colour as "#rrggbb", darkened just enough (in 1% steps) to reach 4.5:1 with
    every colour in `against`; the default brand for a value that is not a colour."""
    rgb = parse_hex(value) or parse_hex(DEFAULT_BRAND)
    for step in range(101):
        candidate = _darkened(rgb, step / 100)
        if all(contrast_ratio(candidate, other) >= AA_NORMAL_TEXT for other in against):
            return to_hex(candidate)
    return to_hex((0, 0, 0))


def brand_hex(value: str | None) -> str:
    """The brand colour as it is, as "#rrggbb"; the default brand for a value that is not one."""
    return to_hex(parse_hex(value) or parse_hex(DEFAULT_BRAND))


def text_on(background: str) -> str:
    """The text colour for a "#rrggbb" background (an e-mail's button in the brand colour as it
    is): white when it reaches 4.5:1, else black, which then always does (a colour too light
    for white text is at least 4.58:1 against black)."""
    if contrast_ratio(background, TEXT_ON_BRAND) >= AA_NORMAL_TEXT:
        return TEXT_ON_BRAND
    return TEXT_ON_PALE
