"""The "sticker_sheet" background job, and the loading and checking it shares with the CLI.

`sticker_sheet(params)` checks the parameters, loads the units to print (or makes new blank
stickers) and builds the PDF. New blank stickers are added to the session once the PDF is
built: they are committed together with the job's result, or not at all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jobs import JobResult, Progress, job_body
from app.models import BlankSticker, Property, Unit
from app.models.sticker_codes import new_label_code, new_qr_token
from app.services.company import current_company, local_today
from qr.codes import sticker_url
from qr.sheets import Sticker, build_sheet, check_start, pages_needed, sheet_format

MAX_BLANK_STICKERS = 3000
# Exactly one of these says which stickers to print.
SELECTIONS = ("unit_ids", "property_id", "customer_id", "all", "blank_count")


@dataclass(frozen=True)
class StickerSheet:
    """A built sheet: the PDF, the file name to offer, and how many stickers on how many pages."""

    pdf: bytes
    filename: str
    count: int
    pages: int


def sticker_sheet(params: dict, progress: Callable[[int], None] | None = None) -> StickerSheet:
    """Build the sheet `params` asks for; ValueError with a message for people when it is wrong.

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
        raise ValueError(
            "Choose one set of stickers to print: some units, a property, a customer, "
            "all units, or a number of blank stickers."
        )
    base_url = current_app.config["PUBLIC_BASE_URL"]
    blanks = []
    if selected[0] == "blank_count":
        blanks = _new_blank_stickers(_whole_number(params["blank_count"], "blank_count"))
        stickers = [Sticker(sticker_url(base_url, b.token), b.printed_label_code) for b in blanks]
    else:
        units = _units_to_print(selected[0], params[selected[0]])
        stickers = [Sticker(sticker_url(base_url, u.qr_token), u.printed_label_code) for u in units]
    company = current_company()
    pdf = build_sheet(
        stickers,
        company=company.name,
        phone=company.phone,
        tagline=_("Scan for service"),
        format_name=fmt.name,
        start=start,
        progress=progress,
    )
    db.session.add_all(blanks)
    db.session.flush()
    filename = f"stickers-{fmt.name}-{local_today().isoformat()}.pdf"
    return StickerSheet(pdf, filename, len(stickers), pages_needed(fmt, start, len(stickers)))


@job_body("sticker_sheet")
def sticker_sheet_job(params: dict, progress: Progress) -> JobResult:
    """The background job: a sheet of QR stickers as a PDF."""
    sheet = sticker_sheet(params, lambda percent: progress(percent, "Drawing stickers"))
    return JobResult(sheet.pdf, sheet.filename, "application/pdf")


def _whole_number(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    return value


def _new_blank_stickers(count: int) -> list[BlankSticker]:
    """Unsaved blank stickers with their token and label code already chosen."""
    if not 1 <= count <= MAX_BLANK_STICKERS:
        raise ValueError(
            f"The number of blank stickers must be between 1 and {MAX_BLANK_STICKERS}, not {count}."
        )
    return [
        BlankSticker(token=new_qr_token(), label_code=new_label_code()) for _number in range(count)
    ]


def _units_to_print(selection: str, value) -> list[Unit]:
    """The selected units that have a sticker token, by property and then unit name."""
    query = (
        select(Unit)
        .join(Unit.property)
        .where(Unit.qr_token.is_not(None))
        .order_by(Property.name, Property.id, Unit.name, Unit.id)
    )
    if selection == "unit_ids":
        if not isinstance(value, list):
            raise ValueError(f"unit_ids must be a list of unit ids, not {value!r}.")
        query = query.where(Unit.id.in_([_whole_number(i, "A unit id") for i in value]))
    elif selection == "property_id":
        query = query.where(Unit.property_id == _whole_number(value, selection))
    elif selection == "customer_id":
        query = query.where(Property.customer_id == _whole_number(value, selection))
    units = list(db.session.scalars(query))
    if not units:
        raise ValueError("No stickers to print: the selection has no units with an active sticker.")
    return units
