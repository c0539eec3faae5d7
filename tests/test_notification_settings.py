"""Appointment e-mails per property: the portal's e-mail settings page (reached from the menu)
posts what the browser sends, and a property turned off gets no visit e-mails for that user."""

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, Property, Visit
from app.services.notifications import notify_visit
from tests import factories as f
from tests.browser_forms import form_on
from tests.portal_helpers import sign_in_portal


def _household(app):
    """A customer with two homes and two portal users, and another customer's home."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="The Lees")
        home = f.PropertyFactory(customer=customer, name="Home")
        cabin = f.PropertyFactory(customer=customer, name="Lake cabin")
        f.PropertyFactory(name="Someone else's house")
        ann = f.PortalUserFactory(customer=customer, email="ann@example.test")
        f.PortalUserFactory(customer=customer, email="bob@example.test")
        return ann.id, home.id, cabin.id


def _told(app, property_id: int) -> set[str]:
    """Who a booking e-mail about a visit at the property goes to."""
    with app.app_context():
        visit = f.VisitFactory(
            work_order=f.WorkOrderFactory(
                visit_at=None, property=db.session.get(Property, property_id)
            ),
            arrival_start=datetime.now(UTC) + timedelta(days=3),
        )
        first = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())) or 0
        notify_visit(db.session.get(Visit, visit.id), "booked")
        db.session.commit()
        return set(
            db.session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.id > first))
        )


def test_a_property_turned_off_gets_no_visit_emails(app, client):
    ann, home, cabin = _household(app)
    sign_in_portal(client, ann)
    dashboard = BeautifulSoup(client.get("/portal/").text, "html.parser")
    menu = dashboard.select_one("nav.portal-nav")
    link = menu.find("a", string="E-mail settings")
    page = client.get(link["href"])
    assert page.status_code == 200
    assert "Home" in page.text and "Lake cabin" in page.text
    assert "Someone else" not in page.text
    form = form_on(page, "form.request-form")
    assert sorted(form.getlist("appointment_emails")) == sorted([str(home), str(cabin)])

    form.uncheck("appointment_emails", str(cabin))
    saved = form.submit(client, follow_redirects=True)
    assert "Your e-mail settings are saved." in saved.text
    assert form_on(saved, "form.request-form").getlist("appointment_emails") == [str(home)]

    assert _told(app, cabin) == {"bob@example.test"}
    assert _told(app, home) == {"ann@example.test", "bob@example.test"}
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "appointment_emails_changed")
        )
        assert event.summary == "off: Lake cabin"

    form = form_on(saved, "form.request-form")
    form.check("appointment_emails", str(cabin))
    form.submit(client)
    assert _told(app, cabin) == {"ann@example.test", "bob@example.test"}


def test_another_customers_property_cannot_be_posted(app, client):
    ann, home, _cabin = _household(app)
    with app.app_context():
        stranger = db.session.scalar(
            select(Property.id).where(Property.name == "Someone else's house")
        )
    sign_in_portal(client, ann)
    form = form_on(client.get("/portal/settings/notifications"), "form.request-form")
    form.tamper("appointment_emails", [str(home), str(stranger)])
    refused = form.submit(client)
    assert refused.status_code == 200 and "not a valid choice" in refused.text.lower()
    assert _told(app, home) == {"ann@example.test", "bob@example.test"}
