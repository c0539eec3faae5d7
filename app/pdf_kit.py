"""What every reportlab builder shares (billing, compliance, history export, sticker sheets):
page setup, fonts, colours, the brand header, the facts table, pictures and footers.

Pure like the builders: plain data in (the company's brand colour is a "#rrggbb" string the
caller passes), reportlab objects out. It lives in app/ because both reports/ and qr/ draw with it.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.colours import DEFAULT_BRAND, readable_brand_color

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"
FONT_MONO = "Courier"
FONT_MONO_BOLD = "Courier-Bold"
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e8eef6")
MUTED = colors.HexColor("#555555")
FOOTER_SIZE = 7.5


def brand_color(value: str | None) -> colors.Color:
    """The company's brand colour, darkened if white paper would make it hard to read (see
    app.colours); the default one when it is missing or not a colour."""
    return colors.HexColor(readable_brand_color(value))


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph: markup characters escaped, line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def document(
    buffer: io.BytesIO, *, pagesize, margin: float, bottom: float, cls=SimpleDocTemplate, **info
) -> SimpleDocTemplate:
    """A document on `pagesize` with even margins and room for the footer at the bottom;
    `info` sets the PDF's title, author and subject."""
    return cls(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom,
        **info,
    )


def canvas(buffer: BinaryIO, *, pagesize, title: str) -> Canvas:
    """A canvas for builders that place everything themselves (sticker sheets), left
    uncompressed: its pages are joined into the finished PDF (app.pdf_join), which compresses."""
    page = Canvas(buffer, pagesize=pagesize, pageCompression=0)
    page.setTitle(title)
    return page


@dataclass(frozen=True)
class Footer:
    """Where a document's footer line goes: across a page `page_width` wide, inside `margin`,
    on the baseline `y`."""

    page_width: float
    margin: float
    y: float

    def draw(self, canvas, left: str, centre: str = "", right: str = "") -> None:
        """`left` at the left margin, `centre` centred, `right` at the right margin."""
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.margin, self.y, left)
        if centre:
            canvas.drawCentredString(self.page_width / 2, self.y, centre)
        if right:
            canvas.drawRightString(self.page_width - self.margin, self.y, right)
        canvas.restoreState()


def fit_image(data: bytes | None, box: tuple[float, float]) -> Image | None:
    """A picture scaled to fit `box`, keeping its shape; None when there is none (or no
    readable one: a broken logo must not stop a document)."""
    if not data:
        return None
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001  (reportlab raises anything for an unreadable image)
        return None
    scale = min(box[0] / width, box[1] / height, 1.0)
    image = Image(io.BytesIO(data), width=width * scale, height=height * scale, mask="auto")
    image.hAlign = "LEFT"
    return image


def facts_table(
    rows: Sequence[tuple[str, object]],
    *,
    width: float,
    label: ParagraphStyle,
    value: ParagraphStyle,
    label_width: float = 1.6 * inch,
) -> Table:
    """Label / value rows under each other; a value is text, or flowables already styled."""
    table = Table(
        [
            [paragraph(text, label), paragraph(cell, value) if isinstance(cell, str) else cell]
            for text, cell in rows
        ],
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Letterhead:
    """Who a document is from; `logo` is the logo file's bytes (PNG or JPEG), if any, and
    `brand_color` the company's colour as "#rrggbb"."""

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    logo: bytes | None = None
    brand_color: str = DEFAULT_BRAND


LOGO_BOX = (1.8 * inch, 0.9 * inch)


def brand_header(
    company: Letterhead, *, width: float, name: ParagraphStyle, contact: ParagraphStyle
) -> Table:
    """The company's logo, name and contact lines over a rule in its brand colour."""
    lines = [company.phone, company.email, company.address]
    details = [paragraph(company.name, name)]
    details += [paragraph(text, contact) for text in lines if text]
    logo = fit_image(company.logo, LOGO_BOX)
    if logo is None:
        table = Table([[details]], colWidths=[width])
    else:
        beside = LOGO_BOX[0] + 0.2 * inch
        table = Table([[logo, details]], colWidths=[beside, width - beside])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1, brand_color(company.brand_color)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
