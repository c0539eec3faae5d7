"""Sticker sheets, tested by what a scanner and a person get from the PDF: every code decodes to
its unit's URL in the label slot it belongs in, and the words are there. Plus the layout's
geometry, the job (in-process and through a real RQ worker), blank stickers and the CLI.
"""

import io
import re
from dataclasses import dataclass

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import MODE_ALPHA_NUM
from sqlalchemy import func, select

from app import jobs as jobs_module
from app.extensions import db
from app.jobs import enqueue
from app.models import BlankSticker
from app.models.enums import JobStatus
from app.models.sticker_codes import format_label_code, new_label_code, new_qr_token
from app.storage import read_bytes
from qr import sheets
from qr.codes import sticker_url
from qr.drawing import QUIET_ZONE_MODULES, make_qr
from qr.sheets import (
    FORMATS,
    PADDING,
    Box,
    LabelText,
    SheetError,
    Sticker,
    layout,
    pages_needed,
)
from tests.factories import CompanySettingsFactory, CustomerFactory, PropertyFactory, UnitFactory
from tests.helpers import built_sheet, decode, pdf_text, printed_sheet, wait_for
from tests.pdf_words import page_texts

COMPANY = "Polar Bear Heating & Air"
PHONE = "(555) 010-4242"
TAGLINE = "Scan for service"


@dataclass(frozen=True)
class Printed:
    customer_id: int
    unit_ids: list[int]
    stickers: list[Sticker]  # in the order they are printed


@pytest.fixture
def customer(app) -> Printed:
    """Seven units with stickers on two properties, and one whose sticker was revoked."""
    with app.app_context():
        CompanySettingsFactory(name=COMPANY, phone=PHONE)
        owner = CustomerFactory()
        barn = PropertyFactory(customer=owner, name="Barn")
        annex = PropertyFactory(customer=owner, name="Annex")
        units = [
            UnitFactory(property=place, name=name)
            for place, names in (
                (barn, ["Roof 2", "Roof 1", "Attic", "Basement"]),
                (annex, ["Shop", "Office", "Hall"]),
            )
            for name in names
        ]
        revoked = UnitFactory(property=barn, name="Old furnace")
        revoked.qr_token = None
        db.session.commit()
        base = app.config["PUBLIC_BASE_URL"]
        in_order = sorted(units, key=lambda unit: (unit.property.name, unit.name))
        return Printed(
            owner.id,
            [unit.id for unit in units] + [revoked.id],
            [Sticker(sticker_url(base, u.qr_token), u.printed_label_code) for u in in_order],
        )


def slot_at(fmt, x: float, y: float) -> int | None:
    """The label slot (0-based) that holds the point, if any."""
    for slot in range(fmt.per_page):
        left, bottom = fmt.slot_origin(slot)
        if left <= x <= left + fmt.label_width and bottom <= y <= bottom + fmt.label_height:
            return slot
    return None


def assert_printed_in_order(pdf: bytes, fmt, start: int, stickers: list[Sticker], tmp_path):
    """Each sticker's code decodes to its URL on the page and in the slot it belongs in."""
    found = decode(pdf, tmp_path)
    assert sorted(text for _, text, _, _ in found) == sorted(s.url for s in stickers)
    for page, text, x, y in found:
        position = start - 1 + [s.url for s in stickers].index(text)
        assert (page, slot_at(fmt, x, y)) == divmod(position, fmt.per_page), text


def random_stickers(count: int) -> list[Sticker]:
    return [
        Sticker(
            sticker_url("https://service.example.com", new_qr_token()),
            format_label_code(new_label_code()),
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_sticker_scans_to_its_unit_in_its_slot_with_the_words_beside_it(
    app, customer, tmp_path, format_name
):
    fmt = FORMATS[format_name]
    with app.app_context():
        sheet, pdf = printed_sheet(
            {"customer_id": customer.customer_id, "format": format_name, "start": 3}
        )
    assert (sheet.count, sheet.pages) == (7, 1)
    assert all(s.url.startswith("HTTP://") and "/U/" in s.url for s in customer.stickers)
    assert_printed_in_order(pdf, fmt, 3, customer.stickers, tmp_path)

    text = pdf_text(pdf)
    for words in (COMPANY, TAGLINE, PHONE, *(s.code for s in customer.stickers)):
        assert words in text


@pytest.mark.parametrize("format_name", FORMATS)
def test_codes_are_drawn_as_vector_paths_not_pictures(format_name):
    pdf = built_sheet(
        random_stickers(3), company=COMPANY, phone=PHONE, tagline=TAGLINE, format_name=format_name
    )
    [page] = PdfReader(io.BytesIO(pdf)).pages
    assert len(page.images) == 0
    assert "/XObject" not in page["/Resources"]
    drawing = page.get_contents().get_data()
    assert drawing.count(b" re") > 3 * 21  # rectangles: runs of dark modules, many per code


def test_a_partly_used_sheet_is_finished_before_a_new_one_starts(tmp_path):
    fmt = FORMATS["avery-5160"]
    stickers = random_stickers(5)
    pdf = built_sheet(
        stickers, company=COMPANY, phone=PHONE, tagline=TAGLINE, format_name=fmt.name, start=28
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) == pages_needed(fmt, 28, 5) == 2
    assert_printed_in_order(pdf, fmt, 28, stickers, tmp_path)


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize(
    "text",
    [
        LabelText(COMPANY, TAGLINE, "ABCD-EFGH-J", PHONE),
        LabelText(
            "Polar Bear Heating, Air Conditioning & Refrigeration Services of Greater Springfield",
            "Scannen Sie diesen Code, um den Kundendienst anzufordern",
            "WWWW-WWWW-W",
            "+1 (555) 010-4242 ext. 12345 (after hours: 555-010-9999)",
        ),
        LabelText("W" * 200, TAGLINE, "ABCD-EFGH-J", ""),
    ],
    ids=["usual", "long", "no-phone"],
)
def test_text_never_touches_the_code_or_its_quiet_zone_and_stays_on_the_label(format_name, text):
    fmt = FORMATS[format_name]
    placed = layout(fmt, text)
    inner = Box(PADDING, PADDING, fmt.label_width - 2 * PADDING, fmt.label_height - 2 * PADDING)
    assert inner.contains(placed.code_box)
    assert placed.code_box.width == placed.code_box.height
    assert len(placed.lines) == 3 + bool(text.phone)
    for index, line in enumerate(placed.lines):
        assert inner.contains(line.box), line.text
        assert not line.box.overlaps(placed.code_box), line.text
        assert line.size >= 4, line.text
        for other in placed.lines[index + 1 :]:
            assert not line.box.overlaps(other.box), (line.text, other.text)
    assert placed.lines[2].text == text.code  # the label code is never cut


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_grid_fits_the_page_and_codes_stay_large_enough_to_scan(format_name):
    fmt = FORMATS[format_name]
    assert (
        fmt.left_margin + (fmt.columns - 1) * fmt.horizontal_pitch + fmt.label_width
        <= fmt.page_width
    )
    assert fmt.slot_origin(fmt.per_page - 1)[1] >= 0
    assert fmt.horizontal_pitch >= fmt.label_width and fmt.vertical_pitch >= fmt.label_height

    code_box = layout(fmt, LabelText(COMPANY, TAGLINE, "ABCD-EFGH-J", PHONE)).code_box
    # A production-length URL is a version 3 code: 29 modules plus the quiet zone each side.
    module_mm = code_box.width / (29 + 2 * QUIET_ZONE_MODULES) / 72 * 25.4
    assert module_mm >= 0.55
    if not fmt.text_below:
        assert code_box.height == fmt.label_height - 2 * PADDING


def test_sticker_urls_encode_in_alphanumeric_mode_with_at_least_level_m():
    qr = make_qr(sticker_url("https://service.polarbearhvac.com", new_qr_token()))
    assert [segment.mode for segment in qr.data_list] == [MODE_ALPHA_NUM]
    assert qr.error_correction in (ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H)


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_path_prefix_is_printed_as_given_and_scans(format_name, tmp_path):
    url = sticker_url("https://example.com/hvac-Service", new_qr_token())
    assert url.startswith("HTTPS://EXAMPLE.COM/hvac-Service/U/")
    pdf = built_sheet(
        [Sticker(url, "ABCD-EFGH-J")],
        company=COMPANY,
        phone=PHONE,
        tagline=TAGLINE,
        format_name=format_name,
    )
    assert [text for _, text, _, _ in decode(pdf, tmp_path)] == [url]


def test_the_job_stores_a_sheet_that_scans(app, customer, tmp_path):
    with app.app_context():
        job_id = enqueue(
            "sticker_sheet", unit_ids=customer.unit_ids, format="avery-5160", start=1
        ).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    # Named after what it holds: the one customer's units, seven of them.
    assert re.fullmatch(r"stickers-customer-\d+-7\.pdf", job.result_filename)
    with app.app_context():
        pdf = read_bytes(job.result_key)
    assert_printed_in_order(pdf, FORMATS["avery-5160"], 1, customer.stickers, tmp_path)


def test_blank_stickers_are_saved_with_the_sheet_and_scan_to_their_tokens(app, tmp_path):
    with app.app_context():
        job_id = enqueue("sticker_sheet", blank_count=3, format="square-22805", start=1).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    with app.app_context():
        blanks = db.session.scalars(select(BlankSticker)).all()
        pdf = read_bytes(job.result_key)
        urls = {sticker_url(app.config["PUBLIC_BASE_URL"], b.token) for b in blanks}
        codes = [b.printed_label_code for b in blanks]
    assert len(blanks) == 3
    assert {text for _, text, _, _ in decode(pdf, tmp_path)} == urls
    assert all(code in pdf_text(pdf) for code in codes)


def test_a_failed_sheet_leaves_no_blank_stickers_behind(app, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("app.jobs.save_bytes", disk_full)
    with app.app_context():
        # Three pages: progress is reported (and committed) while the sheet is drawn.
        job_id = enqueue("sticker_sheet", blank_count=70, format="avery-5160").id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FAILED and "disk full" in job.error
    assert job.result_key is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BlankSticker)) == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "avery-9999", "unit_ids": [1]}, "Unknown label format 'avery-9999'"),
        ({"format": "avery-5160", "start": 31}, "between 1 and 30 for avery-5160"),
        ({"format": "square-22805", "start": 0}, "between 1 and 24 for square-22805"),
        ({"format": "avery-5160", "blank_count": 3001}, "between 1 and 3000"),
        ({"format": "avery-5160", "blank_count": 0}, "between 1 and 3000"),
        ({"format": "avery-5160", "unit_ids": []}, "No stickers to print"),
        ({"format": "avery-5160"}, "Choose one set of stickers"),
        ({"format": "avery-5160", "all": True, "blank_count": 2}, "Choose one set of stickers"),
    ],
)
def test_bad_parameters_fail_the_job_with_a_clear_message(app, params, message):
    with app.app_context():
        job_id = enqueue("sticker_sheet", **params).id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Failed: ") and message in job.message
    assert job.error.startswith("SheetError: ") and message in job.error.splitlines()[0]
    assert job.result_key is None


def test_a_sheet_that_cannot_be_printed_says_why_in_spanish(app):
    with app.app_context(), force_locale("es"), pytest.raises(SheetError) as refused:
        printed_sheet({"format": "avery-5160", "blank_count": 3001})
    assert str(refused.value) == (
        "El número de etiquetas en blanco debe estar entre 1 y 3000, no 3001."
    )


def test_units_whose_sticker_was_revoked_are_left_out(app, customer):
    with app.app_context():
        revoked_only = [customer.unit_ids[-1]]
        with pytest.raises(SheetError, match="no units with an active sticker"):
            printed_sheet({"unit_ids": revoked_only, "format": "avery-5160"})
        sheet, _pdf = printed_sheet({"unit_ids": customer.unit_ids, "format": "avery-5160"})
    assert sheet.count == 7


def test_the_cli_writes_the_sheet(app, customer, tmp_path):
    output = tmp_path / "out" / "stickers.pdf"
    output.parent.mkdir()
    result = app.test_cli_runner().invoke(
        args=[
            "stickers",
            "--customer",
            str(customer.customer_id),
            "--format",
            "a4-3x8",
            "--start",
            "2",
            "-o",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 7 stickers on 1 page(s) to {output}" in result.output
    assert_printed_in_order(output.read_bytes(), FORMATS["a4-3x8"], 2, customer.stickers, tmp_path)


def test_the_cli_saves_blank_stickers_once_the_file_is_written(app, tmp_path):
    output = tmp_path / "blank.pdf"
    result = app.test_cli_runner().invoke(
        args=["stickers", "--blank", "4", "--format", "a4-square-35", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        codes = [b.printed_label_code for b in db.session.scalars(select(BlankSticker))]
    assert len(codes) == 4
    assert all(code in pdf_text(output.read_bytes()) for code in codes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "--format", "avery-9999"], "Unknown label format 'avery-9999'"),
        (["--format", "avery-5160"], "Choose one set of stickers"),
        (["--all", "--blank", "2", "--format", "avery-5160"], "Choose one set of stickers"),
        (["--all", "--format", "avery-5160"], "No stickers to print"),
        (["--blank", "5000", "--format", "avery-5160"], "between 1 and 3000"),
        (["--all", "--format", "avery-5160", "--start", "40"], "between 1 and 30"),
    ],
)
def test_the_cli_explains_what_is_wrong(app, tmp_path, args, message):
    output = tmp_path / "never.pdf"
    result = app.test_cli_runner().invoke(args=["stickers", *args, "-o", str(output)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert not output.exists()


def test_a_real_rq_worker_builds_the_sheet(app, rq_worker, customer, tmp_path):
    with app.app_context():
        job_id = enqueue(
            "sticker_sheet", customer_id=customer.customer_id, format="square-22805", start=5
        ).id
        db.session.commit()  # pushes the job onto the RQ queue

    rq_worker()

    job = wait_for(app, job_id, timeout=1)
    assert job.status == JobStatus.FINISHED, job.error
    with app.app_context():
        pdf = read_bytes(job.result_key)
    assert_printed_in_order(pdf, FORMATS["square-22805"], 5, customer.stickers, tmp_path)


def test_the_job_moves_its_progress_row_as_pages_are_drawn(app, monkeypatch):
    written = []
    write = jobs_module._write_progress
    monkeypatch.setattr(
        jobs_module,
        "_write_progress",
        lambda job_id, percent, message: (
            written.append((percent, message)) or write(job_id, percent, message)
        ),
    )
    with app.app_context():
        job_id = enqueue("sticker_sheet", blank_count=70, format="avery-5160").id
        db.session.commit()
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    # 70 labels on three pages: the row moves when pages two and three begin, then at the end.
    assert written == [
        (42, "Drawing stickers"),
        (85, "Drawing stickers"),
        (100, "Drawing stickers"),
    ]
    assert (job.progress, job.message) == (100, "Done")


def test_a_sheet_drawn_in_chunks_is_one_pdf_with_every_code_in_its_slot(monkeypatch, tmp_path):
    # Two pages per chunk: 100 labels from position 28 take five pages, in three chunks.
    monkeypatch.setattr(sheets, "CHUNK_PAGES", 2)
    fmt = FORMATS["avery-5160"]
    stickers = random_stickers(100)
    reported = []
    pdf = built_sheet(
        stickers,
        company=COMPANY,
        phone=PHONE,
        tagline=TAGLINE,
        format_name=fmt.name,
        start=28,
        progress=reported.append,
    )
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == pages_needed(fmt, 28, 100) == 5
    assert reader.metadata.title == f"QR stickers ({fmt.description})"
    assert_printed_in_order(pdf, fmt, 28, stickers, tmp_path)
    for page, first, last in ((1, 3, 32), (2, 33, 62), (4, 93, 99)):
        text = reader.pages[page].extract_text()
        assert stickers[first].code in text and stickers[last].code in text
    # The chunks share one set of fonts; progress moved as each page was finished.
    fonts = {page["/Resources"].raw_get("/Font").idnum for page in reader.pages}
    assert len(fonts) == 1
    assert reported == [33, 63, 93, 100]


def test_a_long_sheet_fills_every_page_across_many_chunks_and_reports_progress_on_the_way(
    monkeypatch,
):
    # A page per chunk: ten pages in ten chunks, each page a tenth of the way, the last one
    # partly used. How a 5,000-label sheet scales is bench/sticker_sheet.py's figure.
    monkeypatch.setattr(sheets, "CHUNK_PAGES", 1)
    fmt = FORMATS["avery-5160"]
    stickers = random_stickers(10 * fmt.per_page - 10)
    reported = []
    pdf = built_sheet(
        stickers,
        company=COMPANY,
        phone=PHONE,
        tagline=TAGLINE,
        format_name=fmt.name,
        progress=reported.append,
    )
    pages, texts = PdfReader(io.BytesIO(pdf), strict=True).pages, page_texts(pdf)
    assert len(pages) == len(texts) == pages_needed(fmt, 1, len(stickers)) == 10
    for number, text in enumerate(texts):
        on_this_page = stickers[number * fmt.per_page : (number + 1) * fmt.per_page]
        assert [s.code for s in on_this_page if s.code not in text] == [], number
    assert len({page["/Resources"].raw_get("/Font").idnum for page in pages}) == 1
    assert reported == sorted(reported) and len(reported) >= 9 and reported[-1] == 100
