"""Helpers shared by test modules (no test module imports another): waiting for background
work, racing calls and what each made of it, reading PDFs the way a person or a scanner does,
the admin's registered views, stored photos and logos, a priced invoice, the production
settings and a technician's day of visits."""

import io
import random
import shutil
import subprocess
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from admin.base import RoleGate, StaffModelView
from app import kept_pages
from app.extensions import db
from app.models import Invoice, Job, StaffUser, WorkingHours
from app.models.enums import JobStatus, LineKind
from app.services.company import local_today
from app.storage import reencode_image, save_bytes
from qr.sheets import build_sheet
from reports.stickers import sticker_sheet
from tests import factories as f

# Resolution sticker sheets are rendered at before a scanner reads them.
DPI = 300
# How long a test waits for what runs elsewhere (a thread, a worker, a server): long enough for
# a machine busy with the parallel suite; the waits poll and return as soon as it is done.
PATIENCE = 120.0


def wait_for(app, job_id, timeout=PATIENCE) -> Job:
    """Poll the job row until it is finished or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.status in (JobStatus.FINISHED, JobStatus.FAILED):
                db.session.expunge(job)
                return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def finish_jobs(app, kind: str) -> None:
    """Wait for every job of `kind` to end (jobs started in a thread after a test's commit
    must not run on while the tables are emptied for the next test)."""
    with app.app_context():
        jobs = db.session.scalars(select(Job.id).where(Job.kind == kind)).all()
    for job_id in jobs:
        wait_for(app, job_id)


def wait_for_jobs(app, timeout=PATIENCE) -> list[Job]:
    """Poll until every job row is finished or failed; the rows, oldest first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
            if all(job.status in (JobStatus.FINISHED, JobStatus.FAILED) for job in jobs):
                db.session.expunge_all()
                return list(jobs)
        time.sleep(0.05)
    raise AssertionError("jobs did not finish")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def decode(pdf: bytes, tmp_path) -> list[tuple[int, str, float, float]]:
    """Every QR code a scanner finds on the rendered pages: (page, text, centre x, centre y),
    the centre in points from the page's bottom-left corner.

    The pages are rendered as uncompressed greyscale (PGM): a scanner needs no colour, and
    compressing PNGs took most of the time."""
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    pages = tmp_path / "page"
    render = [shutil.which("pdftoppm"), "-r", str(DPI), "-gray", str(source), str(pages)]
    subprocess.run(render, check=True)  # noqa: S603  (our own arguments)
    found = []
    for page, rendered in enumerate(sorted(tmp_path.glob("page-*.pgm"))):
        with Image.open(rendered) as image:
            for code in zxingcpp.read_barcodes(image):
                corners = code.position
                corners = (
                    corners.top_left,
                    corners.top_right,
                    corners.bottom_left,
                    corners.bottom_right,
                )
                x = sum(c.x for c in corners) / 4 * 72 / DPI
                y = (image.height - sum(c.y for c in corners) / 4) * 72 / DPI
                found.append((page, code.text, x, y))
    return found


def staff_views(app):
    return [view for view in app.extensions["admin"][0]._views if isinstance(view, RoleGate)]


def model_views(app):
    return [view for view in staff_views(app) if isinstance(view, StaffModelView)]


# Admin pages that are not a model's list (their first page is `index`).
CUSTOM_PAGES = {"dispatch", "stickers", "conversations", "compliance_report", "board", "my_day"}

# Admin pages about one work order, opened from it (their tests check who reaches which job).
WORK_ORDER_PAGES = {
    "job_page": "/admin/job-page/{}",
    "job_findings": "/admin/job-findings/{}",
    "sign_off": "/admin/sign-off/{}",
}
# Admin endpoints with no page of their own: the actions a page's buttons post to.
ACTION_ENDPOINTS = {"job_close_out"}

# Who may open each admin page, by endpoint (tests/test_admin_access.py checks it).
EXPECTED_ACCESS = {
    # endpoint: roles that may open the list
    "customer": {"admin", "manager", "dispatcher", "technician"},
    "property": {"admin", "manager", "dispatcher", "technician"},
    "unit": {"admin", "manager", "dispatcher", "technician"},
    "portaluser": {"admin", "manager", "dispatcher"},
    "message": {"admin", "manager", "dispatcher"},
    "document": {"admin", "manager", "dispatcher"},
    "servicerequest": {"admin", "manager", "dispatcher"},
    "workorder": {"admin", "manager", "dispatcher", "technician"},
    "workordernote": {"admin", "manager", "dispatcher", "technician"},
    "workorderphoto": {"admin", "manager", "dispatcher", "technician"},
    "quote": {"admin", "manager", "dispatcher"},
    "invoice": {"admin", "manager", "dispatcher"},
    "pricebookitem": {"admin", "manager", "dispatcher", "technician"},
    "payment": {"admin", "manager", "dispatcher"},
    "checkoutsession": {"admin", "manager", "dispatcher"},
    "stripeevent": {"admin", "manager", "dispatcher"},
    "refrigerantevent": {"admin", "manager", "dispatcher", "technician"},
    "complianceobligation": {"admin", "manager", "dispatcher", "technician"},
    "repairepisode": {"admin", "manager", "dispatcher", "technician"},
    "chargerevision": {"admin", "manager", "dispatcher", "technician"},
    "staffuser": {"admin"},
    "companysettings": {"admin", "manager"},
    "job": {"admin", "manager", "dispatcher"},
    "auditevent": {"admin", "manager", "dispatcher"},
    "outboxmessage": {"admin", "manager", "dispatcher"},
    "blanksticker": {"admin", "manager", "dispatcher"},
    "dispatch": {"admin", "manager", "dispatcher"},
    "stickers": {"admin", "manager", "dispatcher"},
    "conversations": {"admin", "manager", "dispatcher", "technician"},
    "compliance_report": {"admin", "manager", "dispatcher"},
    "board": {"admin", "manager", "dispatcher"},
    "my_day": {"technician"},
    "workinghours": {"admin", "manager", "dispatcher"},
    "timeoff": {"admin", "manager", "dispatcher"},
}


@cache
def camera_photo() -> bytes:
    """A 1600x1200 upload with a camera's amount of detail (noise does not compress away).
    The same bytes every time, so drawn once per test process."""
    rng = random.Random(13)
    image = Image.frombytes("RGB", (400, 300), rng.randbytes(400 * 300 * 3))
    out = io.BytesIO()
    image.resize((1600, 1200), Image.Resampling.BICUBIC).save(out, "JPEG", quality=92)
    return out.getvalue()


@cache
def _reencoded_camera_photo() -> tuple[bytes, str, str]:
    """camera_photo() as the upload forms re-encode it: the same every time, so done once per
    test process (it cost twice the photo itself, several times over in a test's set-up)."""
    return reencode_image(camera_photo())


def stored_photo() -> dict:
    """The upload as the upload forms store it (re-encoded), saved as a new file."""
    data, suffix, content_type = _reencoded_camera_photo()
    return save_bytes(
        data, folder="photos", suffix=suffix, filename=f"photo{suffix}", content_type=content_type
    ).fields()


def coil_and_labour_invoice(coil: str, **invoice) -> Invoice:
    """An invoice for `coil` (a $1,180.00 part) and half an hour's labour at $165.00: $1,262.50,
    $104.16 tax (8.25%), $1,366.66 in all; `invoice` sets its other fields."""
    made = f.InvoiceFactory(subtotal_cents=126250, tax_cents=10416, total_cents=136666, **invoice)
    f.InvoiceLineFactory(
        invoice=made,
        position=1,
        description=coil,
        kind=LineKind.PART,
        quantity=Decimal("1"),
        unit_price_cents=118000,
    )
    f.InvoiceLineFactory(
        invoice=made,
        position=2,
        description="Labor",
        quantity=Decimal("0.5"),
        unit_price_cents=16500,
    )
    return made


def png(size: tuple[int, int], colour: str | tuple[int, int, int]) -> bytes:
    """A PNG picture of `size` in one `colour`."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def stored_logo(picture: bytes) -> str:
    """Store `picture` where the company settings form keeps the logo; its storage key."""
    stored = save_bytes(
        picture, folder="brand", suffix=".png", filename="logo.png", content_type="image/png"
    )
    return stored.key


# The settings a production app refuses to start without, for tests that build one.
PRODUCTION = {
    "ENV_NAME": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-tests",
    "PUBLIC_BASE_URL": "https://service.polarbear.test",
    "RATELIMIT_STORAGE_URI": "memory://",
}


ZONE = ZoneInfo("America/Chicago")


def at(day, hour: int) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=ZONE).astimezone(UTC)


def todays_visits(app, tech_id: int, other_id: int) -> dict:
    """Today for the technician: a visit at 13–15 they lead, one at 8–10 they help on, one of
    a colleague's alone, and one of theirs tomorrow."""
    with app.app_context():
        f.CompanySettingsFactory()
        today = local_today()
        customer = f.CustomerFactory(name="Ada Lovelace", phone="(555) 010-7788")
        place = f.PropertyFactory(
            customer=customer,
            address_line1="12 Elm Street",
            city="Springfield",
            access_notes="Side gate, dog is friendly",
        )
        unit = f.UnitFactory(property=place, name="Attic furnace")
        f.PortalUserFactory(customer=customer, email="ada@example.test", name="Ada Lovelace")
        afternoon = f.WorkOrderFactory(
            property=place,
            unit=unit,
            technician_id=tech_id,
            visit_at=at(today, 13),
            summary="No heat upstairs",
            contact_name="Bea",
            contact_phone="(555) 010-9999",
        )
        morning = f.WorkOrderFactory(
            technician_id=other_id, visit_at=at(today, 8), summary="Filter change"
        )
        morning.visits[0].helpers.append(db.session.get(StaffUser, tech_id))
        theirs = f.WorkOrderFactory(
            technician_id=other_id, visit_at=at(today, 10), summary="Colleague's job"
        )
        later = f.WorkOrderFactory(
            technician_id=tech_id, visit_at=at(today + timedelta(days=1), 8), summary="Tomorrow"
        )
        db.session.commit()
        return {
            "afternoon": afternoon.visits[0].id,
            "morning": morning.visits[0].id,
            "theirs": theirs.visits[0].id,
            "later": later.summary,
        }


def bookable_technician(name: str = "Tess Tran", **company) -> StaffUser:
    """The company (its settings overridden by `company`; no notice needed to book) and a
    technician working every day 7–18, so every arrival window ahead is open."""
    f.CompanySettingsFactory(**{"booking_notice_hours": 0, **company})
    technician = f.StaffUserFactory(name=name)
    for weekday in range(7):
        db.session.add(
            WorkingHours(technician=technician, weekday=weekday, starts=clock(7), ends=clock(18))
        )
    return technician


def hold_after(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Make `module.name` wait, once it has answered, until `parties` threads have called it:
    racing requests all pass the read it does before any of them writes."""
    everyone = threading.Barrier(parties, timeout=PATIENCE)
    original = getattr(module, name)

    def answer_then_wait(*args, **kwargs):
        value = original(*args, **kwargs)
        everyone.wait()
        return value

    monkeypatch.setattr(module, name, answer_then_wait)


def at_once(*calls) -> None:
    """Run each call in a thread of its own, all started before any is waited for (two tabs,
    two clicks, two workers racing); return once every one has ended."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=PATIENCE)
    assert not any(thread.is_alive() for thread in threads), "a call did not end"


@contextmanager
def committed_or_refused(outcomes: list, done: str, refusal: type[Exception]):
    """Commit what the block does and add `done` to `outcomes`; when it raises `refusal`, roll
    back and add the refusal's message instead. The session is removed either way, as one a
    racing thread opened must be."""
    try:
        yield
        db.session.commit()
        outcomes.append(done)
    except refusal as error:
        db.session.rollback()
        outcomes.append(str(error))
    finally:
        db.session.remove()


def built_sheet(stickers, **options) -> bytes:
    """The PDF qr.sheets.build_sheet writes for `stickers`, as bytes."""
    out = io.BytesIO()
    build_sheet(stickers, out, **options)
    return out.getvalue()


def printed_sheet(params: dict, progress=None):
    """The sticker sheet `params` asks for (reports.stickers.sticker_sheet) and its PDF bytes."""
    out = io.BytesIO()
    sheet = sticker_sheet(params, out, progress)
    return sheet, out.getvalue()


def pass_keeping_time(monkeypatch, pages: kept_pages.KeptPages) -> None:
    """Move the kept pages' clock past the seconds `pages` keeps a page for."""
    later = time.monotonic() + pages.seconds + 1
    monkeypatch.setattr(kept_pages.clock, "monotonic", lambda: later)
