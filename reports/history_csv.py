"""The service history export: its cells (shared with the PDF, `history_pdf.py`) and the CSV.

Cells a spreadsheet would run as formulas are written as text (OWASP "CSV injection").
"""

import csv
import io

from flask_babel import gettext as _

from app.labels import label
from app.models import WorkOrder
from app.queries import history
from app.services.company import local_day

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_note() -> str:
    return _(
        "Only the first %(limit)s work orders are included. Narrow the filters to get the rest.",
        limit=f"{history.EXPORT_LIMIT:,}",
    )


def export_headers(total: str) -> list[str]:
    """The export's column headings; `total` names the last column."""
    return [
        _("Date"),
        _("Number"),
        _("Property"),
        _("Unit"),
        _("Technician"),
        _("Status"),
        _("Summary"),
        total,
    ]


def _spreadsheet_day(moment) -> str:
    """A day a spreadsheet reads as a date in any language: YYYY-MM-DD, in the company's zone."""
    return local_day(moment).isoformat() if moment else ""


def export_row(work_order: WorkOrder) -> list[str]:
    """One work order as the export's cells."""
    return [
        _spreadsheet_day(work_order.completed_at or work_order.first_arrival),
        work_order.number,
        work_order.property.name,
        work_order.unit.name if work_order.unit else "",
        work_order.technician.name if work_order.technician else "",
        label(work_order.status),
        work_order.summary,
        f"{work_order.total_cents / 100:.2f}",
    ]


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def history_csv(work_orders: list, *, truncated: bool, currency: str) -> bytes:
    """One row per work order, UTF-8 with a byte-order mark so spreadsheets read accents."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = export_headers(_("Total (%(currency)s)", currency=currency))
    for row in (headers, *map(export_row, work_orders)):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    if truncated:
        writer.writerow([spreadsheet_safe(export_note())])
    return out.getvalue().encode("utf-8-sig")
