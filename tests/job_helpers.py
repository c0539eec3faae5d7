"""A technician's job to open on the job page, shared by the job page's tests."""

import io
from dataclasses import dataclass
from datetime import timedelta

from bs4 import BeautifulSoup
from PIL import Image

from app.extensions import db
from app.models import PriceBookItem, Unit
from app.models.enums import LineKind
from app.services.company import local_today
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import at


@dataclass(frozen=True)
class Job:
    work_order_id: int
    capacitor_id: int
    gas_id: int
    retired_id: int
    earlier_id: int
    unit_id: int


def technicians_job(technician_id: int, **company) -> Job:
    """Today's visit for the technician to a unit with one earlier work order, and a price
    book of two items on offer and one retired; the company's settings from `company`."""
    f.CompanySettingsFactory(**company)
    unit = f.UnitFactory(name="Attic furnace", refrigerant_type="R-410A")
    today = local_today()
    earlier = f.WorkOrderFactory(
        property=unit.property,
        unit=unit,
        technician_id=technician_id,
        visit_at=at(today - timedelta(days=90), 9),
        summary="Spring tune-up",
    )
    job = f.WorkOrderFactory(
        property=unit.property,
        unit=unit,
        technician_id=technician_id,
        visit_at=at(today, 13),
        summary="No heat upstairs",
    )
    items = [
        PriceBookItem(code="CAP-45-5", description="Dual run capacitor 45/5 µF", price_cents=14500),
        PriceBookItem(code="R410A-LB", description="Refrigerant R-410A, per lb", price_cents=9500),
        PriceBookItem(
            code="OLD-1", description="Discontinued blower", price_cents=100, active=False
        ),
    ]
    for item in items:
        item.kind = LineKind.PART
    db.session.add_all(items)
    db.session.commit()
    return Job(job.id, items[0].id, items[1].id, items[2].id, earlier.id, unit.id)


def phone_photo() -> bytes:
    """A small JPEG, as a phone sends one after the camera (small enough to stay in memory)."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


def unit_token(unit_id: int) -> str:
    return db.session.get(Unit, unit_id).qr_token


def job_url(job: Job) -> str:
    return f"/admin/job-page/{job.work_order_id}"


def job_form(client, job: Job, selector: str):
    """One of the job page's forms, read from the page as it is now."""
    return form_on(client.get(job_url(job)), selector, url=f"http://localhost{job_url(job)}")


def page_text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)
