"""The customer's sign-off on site: what it records, and that it is void once the work changes."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, StaffUser, WorkOrderLine, WorkOrderNote
from app.models.base import utcnow
from app.models.enums import SignOffMethod, StaffRole, VisitStatus
from app.services.sign_off import (
    Signing,
    SignOffError,
    is_void,
    latest_sign_off,
    needs_sign_off,
    record_not_present,
    sign_work_order,
    summary_hash,
)
from app.storage import read_bytes
from tests import factories as f
from tests.quote_helpers import drawn_signature
from tests.sign_off_helpers import _signed_copies_finish  # noqa: F401


@pytest.fixture
def work_order(app_ctx):
    technician = f.StaffUserFactory(role=StaffRole.TECHNICIAN)
    order = f.WorkOrderFactory(technician=technician, visit_at=utcnow())
    order.visits[0].status = VisitStatus.ON_SITE
    f.WorkOrderLineFactory(
        work_order=order, description="Replace capacitor", unit_price_cents=18500
    )
    db.session.add_all(
        [
            WorkOrderNote(
                work_order=order, body="Coil was dirty; cleaned it.", visible_to_customer=True
            ),
            WorkOrderNote(work_order=order, body="Customer haggles", visible_to_customer=False),
        ]
    )
    db.session.commit()
    return order


def signing(order, **fields) -> Signing:
    values = {
        "signer_name": "  Ana   Rivera ",
        "signature_png": drawn_signature(),
        "shown_hash": summary_hash(order),
        "locale": "es",
    }
    return Signing(**{**values, **fields})


def test_a_drawn_signature_keeps_signer_image_visit_and_what_was_shown(work_order):
    technician = db.session.get(StaffUser, work_order.technician_id)
    sign_off = sign_work_order(work_order, signing(work_order), actor=technician)
    db.session.commit()

    assert sign_off.method == SignOffMethod.DRAWN
    assert sign_off.signer_name == "Ana Rivera"
    assert read_bytes(sign_off.signature_key).startswith(b"\x89PNG")
    assert sign_off.visit == work_order.visits[0]
    assert sign_off.content_sha256 == summary_hash(work_order)
    assert "Replace capacitor" in sign_off.content and "Coil was dirty" in sign_off.content
    assert "haggles" not in sign_off.content
    assert sign_off.locale == "es" and sign_off.taken_by == technician
    assert work_order.signed_off_by == "Ana Rivera"
    assert not needs_sign_off(work_order)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "work_order_signed_off")
    )
    assert event.changes["content_sha256"] == sign_off.content_sha256


@pytest.mark.parametrize(
    "change",
    ["new line", "price", "visible note"],
)
def test_changing_lines_or_visible_notes_voids_the_signature(work_order, change):
    sign_off = sign_work_order(work_order, signing(work_order), actor=None)
    db.session.commit()
    if change == "new line":
        work_order.lines.append(WorkOrderLine(description="Refrigerant", unit_price_cents=9000))
    elif change == "price":
        work_order.lines[0].unit_price_cents = 19500
    else:
        work_order.notes.append(
            WorkOrderNote(body="Also check the drain", visible_to_customer=True)
        )
    db.session.commit()

    assert is_void(sign_off) and needs_sign_off(work_order)


def test_an_internal_note_leaves_the_signature_standing(work_order):
    sign_off = sign_work_order(work_order, signing(work_order), actor=None)
    work_order.notes.append(
        WorkOrderNote(body="Bring a ladder next time", visible_to_customer=False)
    )
    db.session.commit()

    assert not is_void(sign_off)


def test_signing_again_after_a_change_keeps_the_void_one_on_record(work_order):
    first = sign_work_order(work_order, signing(work_order), actor=None)
    work_order.lines[0].quantity = 2
    db.session.commit()
    second = sign_work_order(work_order, signing(work_order, signature_png=None), actor=None)
    db.session.commit()

    assert work_order.sign_offs == [first, second]
    assert first.replaced_at is not None and is_void(first)
    assert latest_sign_off(work_order) == second and second.method == SignOffMethod.TYPED
    assert not needs_sign_off(work_order)


def test_a_summary_that_changed_while_open_is_not_signed(work_order):
    shown = summary_hash(work_order)
    work_order.lines[0].unit_price_cents = 1
    db.session.flush()

    with pytest.raises(SignOffError, match="changed while this summary was open"):
        sign_work_order(work_order, signing(work_order, shown_hash=shown), actor=None)
    assert work_order.sign_offs == []


def test_a_signature_needs_a_name(work_order):
    with pytest.raises(SignOffError) as problem:
        sign_work_order(work_order, signing(work_order, signer_name="   "), actor=None)
    assert problem.value.field == "signer_name"


def test_customer_not_present_records_the_reason(work_order):
    technician = db.session.get(StaffUser, work_order.technician_id)
    with pytest.raises(SignOffError) as problem:
        record_not_present(work_order, "  ", summary_hash(work_order), actor=technician)
    assert problem.value.field == "reason"

    sign_off = record_not_present(
        work_order,
        "Tenant at work; gate code from the office",
        summary_hash(work_order),
        actor=technician,
    )
    db.session.commit()
    assert sign_off.method == SignOffMethod.NOT_PRESENT and not sign_off.customer_present
    assert sign_off.reason.startswith("Tenant at work") and sign_off.signature_key is None
    assert work_order.signed_off_by == ""
