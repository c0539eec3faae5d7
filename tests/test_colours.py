"""A company's brand colour, whatever the office picks, is readable where pages use it: white
text on it and it on the page background reach WCAG AA (4.5:1)."""

import itertools

import pytest

from app.colours import (
    DEFAULT_BRAND,
    PAGE_BACKGROUND,
    TEXT_ON_BRAND,
    brand_hex,
    contrast_ratio,
    readable_brand_color,
    text_on,
    to_hex,
)
from tests import factories as f


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert round(contrast_ratio("#007bff", "#ffffff"), 2) == 3.98  # Bootstrap 4's blue
    assert round(contrast_ratio("#ffffff", "#0056b3"), 2) == 7.04  # the admin's link colour


EVERY_SHADE = [to_hex(rgb) for rgb in itertools.product(range(0, 256, 51), repeat=3)]


@pytest.mark.parametrize(
    "colour", [*EVERY_SHADE, "#ffee00", "#87ceeb", "#ffffff", "#f5f7fa", "#7fff00"]
)
def test_any_brand_colour_becomes_readable(colour):
    readable = readable_brand_color(colour)
    assert contrast_ratio(TEXT_ON_BRAND, readable) >= 4.5, (colour, readable)
    assert contrast_ratio(PAGE_BACKGROUND, readable) >= 4.5, (colour, readable)


def test_a_readable_colour_is_kept_and_a_pale_one_keeps_its_hue():
    assert readable_brand_color("#0b5cad") == "#0b5cad"
    assert readable_brand_color("#AA3300") == "#aa3300"
    red, green, blue = (int(readable_brand_color("#ffee00")[i : i + 2], 16) for i in (1, 3, 5))
    assert blue == 0 and red > green > 0  # a dark yellow (olive), not some other colour


@pytest.mark.parametrize("nonsense", [None, "", "blue", "#12345", "#gggggg"])
def test_something_that_is_not_a_colour_gives_the_default_brand(nonsense):
    assert readable_brand_color(nonsense) == brand_hex(nonsense) == DEFAULT_BRAND


@pytest.mark.parametrize("colour", [*EVERY_SHADE, "#ffee00", "#87ceeb", "#777777", "#7fff00"])
def test_text_on_a_brand_colour_as_it_is_reads_at_aa(colour):
    """An e-mail button keeps the brand as the office chose it and picks its text colour."""
    assert contrast_ratio(colour, text_on(colour)) >= 4.5, colour


def test_text_on_a_brand_is_white_when_white_reads_else_black():
    assert text_on("#0b5cad") == "#ffffff"
    assert text_on("#ffee00") == text_on("#87ceeb") == "#000000"


def test_pages_use_the_readable_brand_colour(app, client):
    with app.app_context():
        f.CompanySettingsFactory(brand_color="#ffee00")
    page = client.get("/portal/login").get_data(as_text=True)
    assert f"--brand: {readable_brand_color('#ffee00')};" in page
    assert "#ffee00" not in page
