"""The signed work order's PDF: made by a job (a real RQ worker here), with the company's
logo and colour, in the customer's language; filed in their documents and e-mailed with the
PDF attached to the portal users and to whoever asked from the unit's sticker."""

import io
import re
from decimal import Decimal

from pypdf import PdfReader
from sqlalchemy import select

from app.demo.accounts import BRAND_COLOR
from app.demo.files import store_logo
from app.extensions import db
from app.models import (
    Document,
    Job,
    OutboxMessage,
    StaffUser,
    WorkOrder,
    WorkOrderPhoto,
    WorkOrderSignOff,
)
from app.models.base import utcnow
from app.models.enums import DocumentKind, JobStatus, RequestSource, StaffRole
from app.services.sign_off import Signing, record_not_present, sign_work_order, summary_hash
from app.storage import read_bytes
from tests import factories as f
from tests.helpers import pdf_text, stored_photo, wait_for
from tests.pdf_words import clashes, off_the_page
from tests.quote_helpers import drawn_signature
from tests.sign_off_helpers import _signed_copies_finish, ready_work_order  # noqa: F401


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _signed_in_spanish(app, *, signature=True) -> int:
    """A work order on the demo's company settings, with a photo, refrigerant added and a
    sticker request, signed in Spanish; its id."""
    with app.app_context():
        f.CompanySettingsFactory(
            name="Polar Bear Heating & Air",
            brand_color=BRAND_COLOR,
            logo_key=store_logo("Polar Bear", BRAND_COLOR),
        )
        technician = f.StaffUserFactory(role=StaffRole.TECHNICIAN, name="Tess Tran")
        order = ready_work_order(technician.id, language="es")
        unit = f.UnitFactory(property=order.property)
        order.unit = unit
        order.service_request = f.ServiceRequestFactory(
            source=RequestSource.QR,
            contact_name="Store manager",
            contact_email="manager@store.example",
            customer=order.customer,
            property=order.property,
            unit=unit,
        )
        db.session.add(
            WorkOrderPhoto(work_order=order, caption="Condenser after cleaning", **stored_photo())
        )
        f.RefrigerantEventFactory(
            unit=unit,
            work_order=order,
            technician=technician,
            occurred_at=utcnow(),
            pounds_added=Decimal("2.50"),
            leak_rate_percent=Decimal("12.5"),
        )
        db.session.commit()
        signing = Signing(
            signer_name="Ana Rivera",
            signature_png=drawn_signature() if signature else None,
            shown_hash=summary_hash(order),
            locale="es",
        )
        sign_work_order(order, signing, actor=db.session.get(StaffUser, technician.id))
        db.session.commit()
        return order.id


def test_the_signed_copy_is_filed_and_mailed_by_a_real_worker(app, rq_worker):
    order_id = _signed_in_spanish(app)
    rq_worker()
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "signed_work_order"))
        assert job.status == JobStatus.FINISHED, job.error
        sign_off = db.session.scalar(select(WorkOrderSignOff))
        document = sign_off.document
        assert document.kind == DocumentKind.WORK_ORDER and document.visible_to_customer
        assert document.work_order_id == order_id and document.title.startswith("Orden")
        pdf = read_bytes(document.storage_key)
        mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to_address)).all()
        attachments = {
            mail.to_address: read_bytes(mail.attachments[0].storage_key) for mail in mails
        }
        subjects = {mail.to_address: mail.subject for mail in mails}
        content_sha256 = sign_off.content_sha256

    text = pdf_text(pdf)
    for words in (
        "Polar Bear Heating & Air",
        "Orden de trabajo",
        "Replace capacitor",
        "Coil cleaned; runs quiet now.",
        "Tess Tran",
        "R-410A",
        "2.5",
        "Firmado por Ana Rivera",
        content_sha256,
    ):
        assert words in text, words
    assert "dog in the yard" not in text
    assert _images(pdf) >= 3  # the logo, the photo and the signature
    assert clashes(pdf) == [] and off_the_page(pdf) == []
    assert set(attachments) == {"ana@example.test", "manager@store.example"}
    assert pdf_text(attachments["ana@example.test"]) == text
    assert "Su orden de trabajo firmada" in subjects["ana@example.test"]


def test_customer_not_present_still_files_a_copy_saying_why(app):
    with app.app_context():
        technician = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
        order = ready_work_order(technician.id)
        record_not_present(
            order,
            "Tenant at work",
            summary_hash(order),
            actor=db.session.get(StaffUser, technician.id),
        )
        db.session.commit()
        job_id = db.session.scalar(select(Job.id))
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    with app.app_context():
        document = db.session.scalar(select(Document))
        pdf = read_bytes(document.storage_key)
        mail = db.session.scalar(select(OutboxMessage))
    assert "Customer not present: Tenant at work" in pdf_text(pdf)
    assert _images(pdf) == 0
    assert re.search(r"nobody was there to sign", mail.text_body)


def test_a_typed_name_prints_as_the_signature(app):
    with app.app_context():
        technician = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
        order = ready_work_order(technician.id)
        signing = Signing("Ana Rivera", None, summary_hash(order))
        sign_work_order(order, signing, actor=None)
        db.session.commit()
        job_id = db.session.scalar(select(Job.id))
        order_id = order.id
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    with app.app_context():
        document = db.session.get(WorkOrder, order_id).sign_offs[0].document
        text = pdf_text(read_bytes(document.storage_key))
    assert "Signed by Ana Rivera" in text and "Typed name" in text
