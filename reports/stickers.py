"""The "sticker_sheet" background job, and the loading and checking it shares with the CLI.

`sticker_sheet(params)` checks the parameters, loads the units to print (or makes new blank
stickers) and builds the PDF. New blank stickers are added to the session once the PDF is
built: they are committed together with the job's result, or not at all.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.jobs import JobResult, Progress, job_body
from app.models import BlankSticker, Property, Unit
from app.models.enums import CustomerKind, StickerUnitText
from app.models.sticker_codes import new_label_code, new_qr_token
from app.services.company import current_company
from app.storage import save_stream
from qr.codes import sticker_url
from qr.sheets import (
    LabelText,
    SheetError,
    Sticker,
    build_sheet,
    check_start,
    pages_needed,
    sheet_format,
)
from reports.packing_list import PackingRow, packing_csv, packing_pdf

MAX_BLANK_STICKERS = 3000
# Exactly one of these says which stickers to print.
SELECTIONS = ("unit_ids", "property_id", "customer_id", "all", "blank_count")


@dataclass(frozen=True)
class StickerSheet:
    """A built sheet (its PDF went to the caller's file): the file name to offer, and how many
    stickers on how many pages, with the packing list."""

    filename: str
    count: int
    pages: int
    packing_pdf: bytes = b""
    packing_csv: bytes = b""


def sticker_sheet(
    params: dict, out: BinaryIO, progress: Callable[[int], None] | None = None
) -> StickerSheet:
    """Write the sheet `params` asks for to the binary file `out`; SheetError with a message for
    people when it is wrong (then nothing useful was written).

    params: one of unit_ids (a list), property_id, customer_id, all (true) or blank_count,
    plus format (a name from qr.sheets.FORMATS) and start (first label position).
    """
    fmt = sheet_format(params.get("format"))
    start = _whole_number(params.get("start", 1), "start")
    check_start(fmt, start)
    selected = [
        key for key in SELECTIONS if params.get(key) is not None and params[key] is not False
    ]
    if len(selected) != 1:
        raise SheetError(
            _(
                "Choose one set of stickers to print: some units, a property, a customer, "
                "all units, or a number of blank stickers."
            )
        )
    base_url = current_app.config["PUBLIC_BASE_URL"]
    company = current_company()
    blanks, units = [], []
    if selected[0] == "blank_count":
        blanks = _new_blank_stickers(_whole_number(params["blank_count"], "blank_count"))
        stickers = [Sticker(sticker_url(base_url, b.token), b.printed_label_code) for b in blanks]
        name = _("blank")
    else:
        units = _units_to_print(selected[0], params[selected[0]])
        stickers = [
            Sticker(
                sticker_url(base_url, u.qr_token),
                u.printed_label_code,
                unit_detail(u, company.sticker_unit_text),
            )
            for u in units
        ]
        name = _sheet_name(units)
    build_sheet(
        stickers,
        out,
        company=company.name,
        phone=company.phone,
        tagline=_("Scan for service"),
        format_name=fmt.name,
        start=start,
        progress=progress,
    )
    db.session.add_all(blanks)
    db.session.flush()
    stem = f"stickers-{slug(name)}-{len(stickers)}"
    packing = _packing_rows(fmt, start, stickers, units)
    title = _("Packing list: %(file)s.pdf", file=stem)
    headers = [
        _("Sheet"),
        _("Position"),
        _("Label code"),
        _("Customer"),
        _("Property"),
        _("Unit"),
        _("Location"),
    ]
    return StickerSheet(
        f"{stem}.pdf",
        len(stickers),
        pages_needed(fmt, start, len(stickers)),
        packing_pdf=packing_pdf(packing, headers, title),
        packing_csv=packing_csv(packing, headers),
    )


@job_body("sticker_sheet", label=_l("Sticker sheet"))
def sticker_sheet_job(params: dict, progress: Progress) -> JobResult:
    """The background job: a sheet of QR stickers as a PDF, with its packing list.

    The PDF is drawn straight into its storage file, so thousands of labels are never held in
    memory as a finished PDF as well as reportlab's pages; progress moves as pages are drawn."""
    built = []
    stored = save_stream(
        lambda out: built.append(
            sticker_sheet(params, out, lambda percent: progress(percent, "Drawing stickers"))
        ),
        folder="job-results",
        suffix=".pdf",
        filename="stickers.pdf",
        content_type="application/pdf",
    )
    [sheet] = built
    stem = sheet.filename.removesuffix(".pdf")
    return JobResult(
        replace(stored, filename=sheet.filename),
        sheet.filename,
        "application/pdf",
        extras=(
            JobResult(sheet.packing_pdf, f"{stem}-packing-list.pdf", "application/pdf"),
            JobResult(sheet.packing_csv, f"{stem}-packing-list.csv", "text/csv"),
        ),
    )


def unit_detail(unit: Unit, setting: StickerUnitText) -> str:
    """The small text that tells which unit a label goes on, as the company allows it:
    always, only at commercial customers' sites (a home's unit names may be private), or never."""
    if setting == StickerUnitText.NEVER:
        return ""
    if (
        setting == StickerUnitText.COMMERCIAL_ONLY
        and unit.property.customer.kind != CustomerKind.COMMERCIAL
    ):
        return ""
    return f"{unit.name} · {unit.property.name}"


def slug(text: str) -> str:
    """A file-name-safe form of a name: "Maple Court HOA" -> "maple-court-hoa"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "stickers"


def _sheet_name(units: list[Unit]) -> str:
    """What the sheet holds, for its file name: the one property, else the one customer."""
    properties = {unit.property for unit in units}
    if len(properties) == 1:
        return properties.pop().name
    customers = {unit.property.customer for unit in units}
    if len(customers) == 1:
        return customers.pop().name
    return _("units")


def _packing_rows(fmt, start: int, stickers: list[Sticker], units: list[Unit]) -> list[PackingRow]:
    """Where each label is printed and which unit it goes on (blank stickers: the code only)."""
    rows = []
    for index, sticker in enumerate(stickers):
        sheet, slot = divmod(start - 1 + index, fmt.per_page)
        where = {}
        if units:
            unit = units[index]
            where = {
                "customer": unit.property.customer.name,
                "property": unit.property.name,
                "unit": unit.name,
                "location": unit.property.address,
            }
        rows.append(PackingRow(sheet + 1, slot + 1, sticker.code, **where))
    return rows


def _whole_number(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SheetError(
            _("%(name)s must be a whole number, not %(value)s.", name=name, value=repr(value))
        )
    return value


def _new_blank_stickers(count: int) -> list[BlankSticker]:
    """Unsaved blank stickers with their token and label code already chosen."""
    if not 1 <= count <= MAX_BLANK_STICKERS:
        raise SheetError(
            _(
                "The number of blank stickers must be between 1 and %(most)s, not %(count)s.",
                most=MAX_BLANK_STICKERS,
                count=count,
            )
        )
    return [
        BlankSticker(token=new_qr_token(), label_code=new_label_code()) for _number in range(count)
    ]


def first_sheet_labels(params: dict, fmt, start: int) -> list[LabelText]:
    """What the first sheet of a selection will say, label by label, for the print form's
    preview (no blank sticker is made: their codes are shown as placeholders)."""
    company = current_company()
    room = fmt.per_page - start + 1
    tagline = _("Scan for service")
    if params.get("blank_count"):
        count = min(params["blank_count"], room)
        return [LabelText(company.name, tagline, "XXXX-XXXX-X", company.phone)] * count
    [(selection, value)] = params.items()
    units = _units_to_print(selection, value, limit=room)
    return [
        LabelText(
            company.name,
            tagline,
            unit.printed_label_code,
            company.phone,
            unit_detail(unit, company.sticker_unit_text),
        )
        for unit in units
    ]


def _units_to_print(selection: str, value, limit: int | None = None) -> list[Unit]:
    """The selected units that have a sticker token, by property and then unit name (the
    first `limit` of them when given)."""
    query = (
        select(Unit)
        .join(Unit.property)
        .options(contains_eager(Unit.property).joinedload(Property.customer))
        .where(Unit.qr_token.is_not(None))
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
    )
    if selection == "unit_ids":
        if not isinstance(value, list):
            raise SheetError(
                _("unit_ids must be a list of unit ids, not %(value)s.", value=repr(value))
            )
        query = query.where(Unit.id.in_([_whole_number(i, "A unit id") for i in value]))
    elif selection == "property_id":
        query = query.where(Unit.property_id == _whole_number(value, selection))
    elif selection == "customer_id":
        query = query.where(Property.customer_id == _whole_number(value, selection))
    units = list(db.session.scalars(query.limit(limit)))
    if not units:
        raise SheetError(
            _("No stickers to print: the selection has no units with an active sticker.")
        )
    return units
