"""One leak rate reads the same everywhere: the exact value rounded half-up to 2 decimals."""

from datetime import date
from decimal import Decimal

from app.extensions import db
from app.models import RefrigerantEvent
from app.models.enums import CustomerKind, RefrigerantEventKind
from app.services.refrigerant import record_event
from reports.compliance_job import compliance_report
from tests import factories as f
from tests.helpers import pdf_text
from tests.portal_helpers import sign_in_portal
from tests.refrigerant_helpers import on_day


def test_an_exact_12_125_percent_shows_as_12_13_on_every_screen_and_in_the_pdf(
    app, client, login_as
):
    staff_id = login_as("manager", epa_certification_number="608-321")
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(kind=CustomerKind.COMMERCIAL)
        unit = f.UnitFactory(
            property=f.PropertyFactory(customer=customer),
            walk_in=True,
        )
        staff = db.session.get(f.StaffUser, staff_id)
        event = RefrigerantEvent(
            kind=RefrigerantEventKind.ADDITION,
            occurred_at=on_day(date(2026, 3, 1)),
            technician=staff,
            pounds_added=Decimal("9.7"),  # 9.7/80 × 365/365 = 12.125 % exactly
        )
        record_event(unit, event, actor=staff)
        db.session.commit()
        assert event.leak_rate_percent == Decimal("12.1250")
        unit_id, token, customer_id = unit.id, unit.qr_token, customer.id
        portal_user = f.PortalUserFactory(customer=customer).id
        pdf = compliance_report(
            {"customer_id": customer_id, "date_from": "2026-01-01", "date_to": "2026-06-30"}
        ).pdf
    assert "12.13% / 20%" in client.get("/admin/refrigerantevent/").data.decode()
    assert "12.13% / 20%" in client.get(f"/u/{token}").data.decode()
    assert "12.13" in pdf_text(pdf) and "12.12" not in pdf_text(pdf)
    client.post("/logout")
    sign_in_portal(client, portal_user)
    assert "12.13%" in client.get("/portal/compliance").data.decode()
    detail = client.get(f"/portal/compliance/{unit_id}").data.decode()
    assert "12.13% / 20%" in detail and "12.12" not in detail
