"""Stickers you can match to units: the unit's name in small text on each label (as the company
allows), a packing list with every sheet, a preview of the first sheet on the print form, and
files named after what they hold."""

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Job
from app.models.enums import CustomerKind, JobStatus, StickerUnitText
from app.services.company import current_company
from qr.sheets import FORMATS, PADDING, Box, LabelText, layout
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import printed_sheet, wait_for


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _maple_court(units: int = 24):
    """Maple Court HOA (commercial) with `units` units on two buildings, and a household."""
    f.CompanySettingsFactory()
    hoa = f.CustomerFactory(name="Maple Court HOA", kind=CustomerKind.COMMERCIAL)
    north = f.PropertyFactory(customer=hoa, name="North building")
    south = f.PropertyFactory(customer=hoa, name="South building")
    for n in range(units):
        f.UnitFactory(property=north if n % 2 else south, name=f"Apt {n + 1:02d} condenser")
    home = f.UnitFactory(name="Master bedroom mini-split")
    return hoa, home


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_unit_line_fits_beside_the_code_without_cutting_the_code(format_name):
    fmt = FORMATS[format_name]
    text = LabelText(
        "Polar Bear Heating & Air",
        "Scan for service",
        "ABCD-EFGH-J",
        "(555) 010-4242",
        "Rooftop unit 3 (north, above the loading dock) · Maple Court HOA North building",
    )
    placed = layout(fmt, text)
    inner = Box(PADDING, PADDING, fmt.label_width - 2 * PADDING, fmt.label_height - 2 * PADDING)
    assert [line.text for line in placed.lines][2] == "ABCD-EFGH-J"
    detail = placed.lines[3]
    assert detail.text.startswith("Rooftop unit 3")  # cut short with an ellipsis if needed
    for line in placed.lines:
        assert inner.contains(line.box) and not line.box.overlaps(placed.code_box), line.text
        assert line.size >= 4
    assert detail.size < placed.lines[2].size  # small text, beside the code


@pytest.mark.parametrize(
    ("setting", "on_commercial", "on_home"),
    [
        (StickerUnitText.ALWAYS, True, True),
        (StickerUnitText.COMMERCIAL_ONLY, True, False),
        (StickerUnitText.NEVER, False, False),
    ],
)
def test_the_company_decides_whose_labels_name_the_unit(app_ctx, setting, on_commercial, on_home):
    hoa, home = _maple_court(units=2)
    current_company().sticker_unit_text = setting
    db.session.commit()
    hoa_text = _text(printed_sheet({"customer_id": hoa.id, "format": "avery-5160"})[1])
    home_text = _text(printed_sheet({"unit_ids": [home.id], "format": "avery-5160"})[1])
    assert ("Apt 01 condenser · South building" in hoa_text) is on_commercial
    assert ("Master bedroom mini-split" in home_text) is on_home


def test_every_sheet_comes_with_a_packing_list_and_a_name_that_says_what_it_holds(
    app, client, login_as
):
    login_as("dispatcher")
    with app.app_context():
        hoa, _home = _maple_court()
        codes = {u.name: u.printed_label_code for p in hoa.properties for u in p.units}
    page = client.get(f"/admin/stickers/?customer_id={hoa.id}")
    form = form_on(page, "form.sticker-sheet-form")
    form["start"] = "4"
    assert form.submit(client).status_code == 302
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    assert job.result_filename == "stickers-maple-court-hoa-24.pdf"
    assert [extra["filename"] for extra in job.extra_files] == [
        "stickers-maple-court-hoa-24-packing-list.pdf",
        "stickers-maple-court-hoa-24-packing-list.csv",
    ]
    jobs_page = client.get("/admin/job/").get_data(as_text=True)
    assert f'href="/admin/files/jobs/{job_id}/1"' in jobs_page
    assert f'href="/admin/files/jobs/{job_id}/2"' in jobs_page

    with client.get(f"/admin/files/jobs/{job_id}/2") as download:
        rows = list(csv.reader(io.StringIO(download.data.decode())))
    assert rows[0] == [
        "\ufeffSheet",
        "Position",
        "Label code",
        "Customer",
        "Property",
        "Unit",
        "Location",
    ]
    assert len(rows) == 25
    first = rows[1]  # sorted by property, then unit: North building's first unit, position 4
    assert first[:2] == ["1", "4"]
    assert first[3:6] == ["Maple Court HOA", "North building", "Apt 02 condenser"]
    assert first[2] == codes["Apt 02 condenser"] and "Springfield" in first[6]
    assert rows[-1][:2] == ["1", "27"]  # 24 labels from position 4 end on position 27

    with client.get(f"/admin/files/jobs/{job_id}/1") as download:
        packing = _text(download.data)
    assert "Packing list" in packing and codes["Apt 24 condenser"] in packing


def test_the_print_form_previews_the_first_sheet(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        hoa, _home = _maple_court(units=3)
        north = next(p for p in hoa.properties if p.name == "North building")
        first_code = north.units[0].printed_label_code
    page = client.get(f"/admin/stickers/?customer_id={hoa.id}&start=3&format=avery-5160")
    html = page.get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count(">used</text>") == 2  # positions 1 and 2 are already used
    assert first_code in svg and "Apt 02 condenser" in svg
    form = form_on(page, "form.sticker-sheet-form")
    form["format"] = "square-22805"
    form["start"] = "20"
    again = form.submit(client, button="preview")
    html = again.get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count(">used</text>") == 19 and first_code in svg
    with app.app_context():
        assert db.session.scalar(select(Job.id)) is None  # a preview makes nothing
