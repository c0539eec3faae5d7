"""The customer's service history as a printable PDF (the portal's "Download PDF"): a table of
the work orders that match the filters, headed with the company and the filters in words.
"""

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

from app import pdf_kit as kit
from app.formatting import local_date, money
from app.queries.history import HistoryFilters
from reports.history_csv import export_headers, export_note, export_row

PDF_FONT_SIZE = 8
PDF_COLUMN_INCHES = (0.8, 0.95, 1.5, 1.25, 1.2, 0.85, 2.45, 0.9)  # 10" of landscape Letter
PDF_CELL_PADDING = 6  # points: reportlab's default left plus right cell padding


def _fit(text: str, width: float) -> str:
    """`text` cut short with an ellipsis so it fits a table column on one line."""
    room = width - PDF_CELL_PADDING
    if stringWidth(text, kit.FONT, PDF_FONT_SIZE) <= room:
        return text
    while text and stringWidth(text + "…", kit.FONT, PDF_FONT_SIZE) > room:
        text = text[:-1]
    return text + "…"


def history_pdf(
    work_orders: list,
    *,
    truncated: bool,
    company_name: str,
    currency: str,
    filters: HistoryFilters,
    brand_color: str = kit.DEFAULT_BRAND,
) -> bytes:
    """A printable table of the work orders, headed with the company (in its brand colour)
    and the filters."""
    styles = getSampleStyleSheet()
    title = styles["Title"].clone("brand title", textColor=kit.brand_color(brand_color))
    summary_style = styles["BodyText"].clone("cell", fontSize=PDF_FONT_SIZE, leading=10)
    widths = [width * inch for width in PDF_COLUMN_INCHES]
    summary_column = 6
    header_style = summary_style.clone("header", fontName=kit.FONT_BOLD)
    rows = [[Paragraph(escape(text), header_style) for text in export_headers(_("Total"))]]
    for work_order in work_orders:
        row = export_row(work_order)
        row[0] = local_date(work_order.completed_at or work_order.first_arrival)
        row[-1] = money(work_order.total_cents, currency)
        # Only the summary wraps: wrapping every cell makes 5,000 rows take many seconds.
        rows.append(
            [
                Paragraph(escape(text), summary_style)
                if column == summary_column
                else _fit(text, widths[column])
                for column, text in enumerate(row)
            ]
        )
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), PDF_FONT_SIZE),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ee")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c5ccd4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    story = [
        Paragraph(escape(company_name), title),
        Paragraph(escape(_("Service history")), styles["Heading2"]),
        *(Paragraph(escape(line), styles["BodyText"]) for line in filters.summary()),
        Spacer(1, 0.15 * inch),
    ]
    if truncated:
        story.append(Paragraph(escape(export_note()), styles["BodyText"]))
    if work_orders:
        story.append(table)
    else:
        story.append(
            Paragraph(escape(_("No work orders match these filters.")), styles["BodyText"])
        )
    out = io.BytesIO()
    document = kit.document(
        out,
        pagesize=landscape(LETTER),
        margin=0.5 * inch,
        bottom=0.5 * inch,
        title=_("Service history"),
        author=company_name,
    )
    document.build(story)
    return out.getvalue()
