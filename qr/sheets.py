"""Printable QR sticker sheets: labels laid out on standard label sheets, drawn as a PDF.

Pure: it takes plain data (the URL and printed code of each sticker, the company's name and
phone, the caller's translated tagline) and returns PDF bytes; it knows nothing about Flask or
the database. `layout()` is the one place that decides where the code and each line of text go
on a label: the drawing uses it, and the tests check it.

QR codes are drawn by qr.drawing. Each code keeps its four-module quiet zone inside the label,
and everything stays inside a small padding so a printer that drifts a little does not cut a
code.
"""

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO

from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas

from app import pdf_kit as kit
from app.errors import UserError
from app.pdf_join import PdfJoin
from qr.drawing import draw_code, make_qr

PADDING = inch / 16  # printer drift: nothing is drawn closer than this to a label's edge
GAP = 2.0  # points between the code's quiet zone and the text
LEADING = 1.15  # line height as a multiple of the font size
MIN_FONT_SIZE = 5.0  # below this a line is cut short with an ellipsis instead
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
CHUNK_PAGES = 10  # pages reportlab holds at once while a sheet is drawn (about 1 MB)


@dataclass(frozen=True)
class SheetFormat:
    """A sheet of labels, in points: page, grid, label size, top-left margins and pitch."""

    name: str
    description: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    top_margin: float
    left_margin: float
    horizontal_pitch: float
    vertical_pitch: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def text_below(self) -> bool:
        """Square-ish labels put the text under the code; wide ones beside it."""
        return self.label_width < 1.5 * self.label_height

    def slot_origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner of a label slot on its page (0-based, rows from the top left)."""
        row, column = divmod(slot % self.per_page, self.columns)
        x = self.left_margin + column * self.horizontal_pitch
        y = self.page_height - self.top_margin - row * self.vertical_pitch - self.label_height
        return x, y


def _stock(name, description, page, grid, label, margins, pitch, unit) -> SheetFormat:
    """A label stock as its maker states it: `grid` (columns, rows); the label's size, the page's
    top and left margins and the pitch across and down, each pair in `unit`."""
    sizes = (value * unit for value in (*label, *margins, *pitch))
    return SheetFormat(name, description, *page, *grid, *sizes)


FORMATS = {
    f.name: f
    for f in (
        _stock(
            "avery-5160",
            'Avery 5160: 30 labels, 2⅝ × 1", US Letter',
            LETTER,
            (3, 10),
            (2.625, 1),
            (0.5, 0.1875),
            (2.75, 1),
            inch,
        ),
        # Avery 22805's die as measured on real sheets (0.5" top, 0.78125" sides, 0.3125" and
        # 0.2" gaps); the 0.75"/0.625" margins some templates quote land a quarter inch low.
        _stock(
            "square-22805",
            'Avery 22805: 24 square labels, 1½ × 1½", US Letter',
            LETTER,
            (4, 6),
            (1.5, 1.5),
            (0.5, 0.78125),
            (1.8125, 1.7),
            inch,
        ),
        # Avery L7159 (J8159): 7 mm side margins keep codes off the edge printers cannot reach.
        _stock(
            "a4-3x8",
            "Avery L7159: 24 labels, 63.5 × 33.9 mm, A4",
            A4,
            (3, 8),
            (63.5, 33.9),
            (12.9, 7.2),
            (66.0, 33.9),
            mm,
        ),
        _stock(
            "a4-square-35",
            "Avery L7120: 35 square labels, 35 × 35 mm, A4",
            A4,
            (5, 7),
            (35, 35),
            (11, 7.5),
            (40, 40),
            mm,
        ),
    )
}


class SheetError(UserError):
    """A sticker sheet that cannot be printed as asked; the message says why."""


def sheet_format(name: str | None) -> SheetFormat:
    """The format called `name`; SheetError naming the choices when there is none."""
    try:
        return FORMATS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise SheetError(
            _(
                "Unknown label format %(name)s. Choose one of: %(choices)s.",
                name=repr(name),
                choices=choices,
            )
        ) from None


def check_start(fmt: SheetFormat, start: int) -> None:
    """Refuse a first label position that is not on the sheet."""
    if not 1 <= start <= fmt.per_page:
        raise SheetError(
            _(
                "The start position must be between 1 and %(last)s for %(format)s sheets, "
                "not %(start)s.",
                last=fmt.per_page,
                format=fmt.name,
                start=start,
            )
        )


def pages_needed(fmt: SheetFormat, start: int, count: int) -> int:
    """How many sheets `count` labels take when the first one goes in position `start`."""
    return -(-(start - 1 + count) // fmt.per_page)


@dataclass(frozen=True)
class Sticker:
    """One label to print: the URL in its QR code, the code printed for people to type, and
    optionally which unit it belongs on, in small text ("RTU-3 · Maple Court")."""

    url: str
    code: str
    detail: str = ""


@dataclass(frozen=True)
class LabelText:
    """The words on every label; `tagline` comes translated from the caller."""

    company: str
    tagline: str
    code: str
    phone: str
    detail: str = ""


@dataclass(frozen=True)
class Box:
    """A rectangle in points, from a label's bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.top
            and other.y < self.top
        )

    def contains(self, other: "Box") -> bool:
        return (
            self.x <= other.x
            and other.right <= self.right
            and self.y <= other.y
            and other.top <= self.top
        )


@dataclass(frozen=True)
class TextLine:
    """A line of text where it is drawn, and the box its letters can reach."""

    text: str
    font: str
    size: float
    x: float
    baseline: float
    box: Box


@dataclass(frozen=True)
class LabelLayout:
    """Where things go on one label: the code with its quiet zone, and the lines of text."""

    label: Box
    code_box: Box
    lines: tuple[TextLine, ...]


# Font and preferred size of each line, for text beside the code and text below it.
_STYLES_BESIDE = {
    "company": (kit.FONT_BOLD, 10.0),
    "tagline": (kit.FONT, 8.5),
    "code": (kit.FONT_MONO_BOLD, 11.0),
    "detail": (kit.FONT, 7.0),
    "phone": (kit.FONT, 9.0),
}
_STYLES_BELOW = {
    "company": (kit.FONT_BOLD, 6.5),
    "tagline": (kit.FONT, 5.5),
    "code": (kit.FONT_MONO_BOLD, 7.0),
    "detail": (kit.FONT, 5.0),
    "phone": (kit.FONT, 6.0),
}


def layout(fmt: SheetFormat, text: LabelText) -> LabelLayout:
    """Place the code and the text on one label of `fmt`, shrinking or cutting text to fit."""
    label = Box(0, 0, fmt.label_width, fmt.label_height)
    inner = Box(PADDING, PADDING, label.width - 2 * PADDING, label.height - 2 * PADDING)
    styles = _STYLES_BELOW if fmt.text_below else _STYLES_BESIDE
    wanted = [(getattr(text, key), *style) for key, style in styles.items()]
    wanted = [line for line in wanted if line[0]]
    if fmt.text_below:
        block = sum(size * LEADING for _, _, size in wanted)
        side = min(inner.width, inner.height - block - GAP)
        code_box = Box(inner.x + (inner.width - side) / 2, inner.top - side, side, side)
        area = Box(inner.x, inner.y, inner.width, code_box.y - GAP - inner.y)
    else:
        side = inner.height
        code_box = Box(inner.x, inner.y, side, side)
        area = Box(code_box.right + GAP, inner.y, inner.right - code_box.right - GAP, side)
    return LabelLayout(label, code_box, _fit_lines(wanted, area, centered=fmt.text_below))


def _fit_lines(wanted, area: Box, *, centered: bool) -> tuple[TextLine, ...]:
    """Stack the lines in `area`, vertically centred, each shrunk or cut to its width."""
    needed = sum(size * LEADING for _, _, size in wanted)
    scale = min(1.0, area.height / needed) if needed else 1.0
    fitted = []
    for text, font, size in wanted:
        size *= scale
        width = stringWidth(text, font, size)
        if width > area.width:
            # A hair under the exact fit, so rounding never cuts the last letter.
            size = max(0.999 * size * area.width / width, min(size, MIN_FONT_SIZE))
            text = _cut_to_width(text, font, size, area.width)
        if text:
            fitted.append((text, font, size))

    top = area.top - (area.height - sum(size * LEADING for _, _, size in fitted)) / 2
    lines = []
    for text, font, size in fitted:
        ascent, descent = getAscentDescent(font, size)
        baseline = top - (size * LEADING - (ascent - descent)) / 2 - ascent
        width = stringWidth(text, font, size)
        x = area.x + (area.width - width) / 2 if centered else area.x
        lines.append(
            TextLine(
                text, font, size, x, baseline, Box(x, baseline + descent, width, ascent - descent)
            )
        )
        top -= size * LEADING
    return tuple(lines)


def _cut_to_width(text: str, font: str, size: float, width: float) -> str:
    """`text` as it fits in `width`, cut short with an ellipsis when it does not."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS if text else ""


def build_sheet(
    stickers: Sequence[Sticker],
    out: BinaryIO,
    *,
    company: str,
    phone: str,
    tagline: str,
    format_name: str,
    start: int = 1,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write a PDF of `stickers` on `format_name` sheets, the first in position `start`
    (1-based), to the binary file `out`.

    reportlab keeps every page it draws until it saves, so the sheet is drawn CHUNK_PAGES pages
    at a time, each chunk saved to a temporary file and its pages appended to `out`: memory
    stays the same however many labels there are."""
    fmt = sheet_format(format_name)
    check_start(fmt, start)
    if not stickers:
        raise SheetError(_("There are no stickers to print."))
    words = LabelText(company, tagline, "", phone)
    sheets = _labels_by_sheet(fmt, start, len(stickers))
    joined = PdfJoin(out)
    reported = 0
    for first in range(0, len(sheets), CHUNK_PAGES):
        with tempfile.TemporaryFile() as chunk:
            canvas = kit.canvas(
                chunk,
                pagesize=(fmt.page_width, fmt.page_height),
                title=f"QR stickers ({fmt.description})",
            )
            for labels in sheets[first : first + CHUNK_PAGES]:
                _draw_sheet(canvas, fmt, start, stickers, labels, words)
                percent = 100 * labels.stop // len(stickers)
                if progress and reported + 5 <= percent < 100:
                    progress(percent)
                    reported = percent
            canvas.save()
            chunk.seek(0)
            joined.add(chunk)
    joined.close()
    if progress:
        progress(100)


def _labels_by_sheet(fmt: SheetFormat, start: int, count: int) -> list[range]:
    """The indexes of the labels printed on each sheet, the first label in position `start`."""
    skipped = start - 1
    return [
        range(
            max(0, sheet * fmt.per_page - skipped), min(count, (sheet + 1) * fmt.per_page - skipped)
        )
        for sheet in range(pages_needed(fmt, start, count))
    ]


def _draw_sheet(canvas: Canvas, fmt, start: int, stickers, labels: range, words: LabelText):
    """Draw the stickers at the indexes `labels` on one sheet, and finish the page."""
    for index in labels:
        sticker = stickers[index]
        text = replace(words, code=sticker.code, detail=sticker.detail)
        _draw_label(canvas, fmt.slot_origin(start - 1 + index), layout(fmt, text), sticker.url)
    canvas.showPage()


def _draw_label(canvas: Canvas, origin: tuple[float, float], label: LabelLayout, url: str):
    canvas.saveState()
    canvas.translate(*origin)
    box = label.code_box
    draw_code(canvas, make_qr(url), box.x, box.top, box.width)
    for line in label.lines:
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)
    canvas.restoreState()
