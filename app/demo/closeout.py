"""Each scale copy's household job, closed out the way a technician does it on the job page:
lines from the price book, a note for the customer, before and after photos, the refrigerant
topped up, the customer's drawn signature on the summary, Done, and Complete job (the invoice
drafted, then issued by the office). The signed work order in the household's documents is
the product's own: the sign-off's job (reports.work_order_job) writes, files and e-mails it,
run here in-process as the demo's jobs run, so it is there when seeding ends.

The services stamp what they record with the real clock, so the job is today's: the
technician has been on site since two hours ago (app.demo.household plans the visit).
"""

import io
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.demo.context import Demo
from app.demo.drawings import coil_photo, signature_stroke
from app.demo.visits import Order
from app.extensions import db
from app.jobs import run_enqueued_here
from app.models import Document, PriceBookItem, RefrigerantEvent, StaffUser, WorkOrder
from app.models.base import utcnow
from app.models.enums import (
    DocumentKind,
    InvoiceStatus,
    PhotoStage,
    RefrigerantEventKind,
    VisitStatus,
)
from app.services.close_out import complete_work_order, issue_invoice
from app.services.job import add_line, add_note
from app.services.job_visit import add_photo
from app.services.my_day import take_step
from app.services.refrigerant import record_event
from app.services.sign_off import Signing, customer_language, sign_work_order, summary_hash
from app.storage import save_bytes

# The maintenance visit's lines, by price book code, and the refrigerant topped up.
BOOK_LINES = (("MAINT-VISIT", Decimal(1)), ("FLT-16251", Decimal(1)))
TOP_UP_LB = Decimal("0.75")
NOTE = (
    "Cleaned the condenser coil and flushed the condensate drain; replaced the filter. The "
    "charge was a little low: added {pounds} lb of {refrigerant}, no leak found with the "
    "electronic detector. Superheat and subcooling in range afterwards."
)


def close_out_household_jobs(demo: Demo, orders: list[Order], office_id: int) -> None:
    """Record and close out the household jobs among `orders` through the product, then run
    the jobs that makes (the signed copies) before the caller commits."""
    jobs = [order for order in orders if order.household_job]
    if not jobs:
        return
    book = {item.code: item for item in db.session.scalars(select(PriceBookItem))}
    office = db.session.get(StaffUser, office_id)
    with demo.writer.counting_orm_rows():
        for order in jobs:
            _close_out(order, book, office)
        run_enqueued_here()


def _close_out(order: Order, book: dict[str, PriceBookItem], office: StaffUser) -> None:
    work_order = db.session.get(WorkOrder, order.id)
    tech = db.session.get(StaffUser, order.tech.id)
    unit = work_order.unit
    for code, quantity in BOOK_LINES:
        add_line(work_order, item=book[code], quantity=quantity, may_price=False, actor=tech)
    gas = book.get(f"{(unit.refrigerant_type or '').replace('-', '')}-LB")
    if gas is not None and unit.full_charge_lb:
        add_line(work_order, item=gas, quantity=TOP_UP_LB, may_price=False, actor=tech)
        record_event(
            unit,
            RefrigerantEvent(
                kind=RefrigerantEventKind.ADDITION,
                occurred_at=utcnow(),
                technician=tech,
                work_order=work_order,
                pounds_added=TOP_UP_LB,
                notes="Topped up after the coil cleaning.",
            ),
            actor=tech,
        )
        note = NOTE.format(pounds=TOP_UP_LB, refrigerant=unit.refrigerant_type)
    else:
        note = NOTE.split(" The charge")[0] + " Everything ran within range afterwards."
    add_note(work_order, note, visible_to_customer=True, actor=tech)
    for stage, clean in ((PhotoStage.BEFORE, False), (PhotoStage.AFTER, True)):
        caption = f"{stage.value.capitalize()}: {order.unit.in_sentence} coil"
        _photo(work_order, stage, caption, clean, tech)
    signing = Signing(
        order.customer.contact,
        signature_stroke(),
        summary_hash(work_order),
        customer_language(work_order),
    )
    sign_work_order(work_order, signing, actor=tech)
    take_step(work_order.visits[-1], tech, VisitStatus.DONE)
    invoice = complete_work_order(work_order, tech)
    if invoice is not None and invoice.status == InvoiceStatus.DRAFT:
        issue_invoice(invoice, office)


def _photo(
    work_order: WorkOrder, stage: PhotoStage, caption: str, clean: bool, tech: StaffUser
) -> None:
    """The technician's photo of the coil (before or after the cleaning), also filed in the
    customer's documents."""
    picture = coil_photo(caption, clean=clean)
    upload = FileStorage(io.BytesIO(picture), filename=f"{stage.value}.jpg", name="photo")
    add_photo(work_order, upload, stage=stage, caption=caption, actor=tech)
    stored = save_bytes(
        picture,
        folder="documents",
        suffix=".jpg",
        filename=f"{stage.value}.jpg",
        content_type="image/jpeg",
    )
    db.session.add(
        Document(
            kind=DocumentKind.PHOTO,
            title=caption,
            customer_id=work_order.customer_id,
            property_id=work_order.property_id,
            unit_id=work_order.unit_id,
            work_order_id=work_order.id,
            visible_to_customer=True,
            **stored.fields(),
        )
    )
