"""The packing list that comes with every sticker sheet: which label goes on which unit.

Pure: rows in, CSV or PDF bytes out. The PDF is one table on plain paper (never on label
stock), repeated on as many pages as the rows need.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class PackingRow:
    """One printed label: its sheet and position (1-based), its code and where it goes."""

    sheet: int
    position: int
    code: str
    customer: str = ""
    property: str = ""
    unit: str = ""
    location: str = ""

    def cells(self) -> list[str]:
        return [
            str(self.sheet),
            str(self.position),
            self.code,
            self.customer,
            self.property,
            self.unit,
            self.location,
        ]


def _spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def packing_csv(rows: Sequence[PackingRow], headers: Sequence[str]) -> bytes:
    """The packing list as CSV (UTF-8 with a byte-order mark, so Excel reads the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_spreadsheet_safe(cell) for cell in row.cells()])
    return ("\ufeff" + out.getvalue()).encode()


# Column widths in points, in the order of PackingRow.cells(); they fill a Letter page's width.
WIDTHS = (34, 44, 76, 110, 100, 90, 122)
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 8.0, 12.0
MARGIN = 0.5 * inch


def _fit(text: str, font: str, width: float) -> str:
    while text and stringWidth(text, font, SIZE) > width - 4:
        text = text[:-2] + "…"
    return text


def packing_pdf(rows: Sequence[PackingRow], headers: Sequence[str], title: str) -> bytes:
    """The packing list as a PDF table: sheet, position, label code, customer, property, unit,
    location; long values are cut to their column."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=LETTER, pageCompression=1)
    canvas.setTitle(title)
    width, height = LETTER

    def header(y: float) -> float:
        canvas.setFont(BOLD, 12)
        canvas.drawString(MARGIN, y, title)
        y -= 2 * LEADING
        canvas.setFont(BOLD, SIZE)
        x = MARGIN
        for text, column in zip(headers, WIDTHS, strict=True):
            canvas.drawString(x, y, _fit(text, BOLD, column))
            x += column
        canvas.line(MARGIN, y - 3, width - MARGIN, y - 3)
        return y - LEADING

    y = header(height - MARGIN)
    for row in rows:
        if y < MARGIN:
            canvas.showPage()
            y = header(height - MARGIN)
        canvas.setFont(FONT, SIZE)
        x = MARGIN
        for text, column in zip(row.cells(), WIDTHS, strict=True):
            canvas.drawString(x, y, _fit(text, FONT, column))
            x += column
        y -= LEADING
    canvas.showPage()
    canvas.save()
    return out.getvalue()
