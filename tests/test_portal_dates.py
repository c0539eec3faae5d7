"""Every portal page writes its days and times as words in the customer's language and the
company's time zone: visits as windows ("Tue, Dec 8, 9:00 – 11:00 AM Central Time"), messages
with their weekday and time, invoice and quote days with their weekday, warranty ends as a day
("May 1, 2031"). The year shows only when the day is far from today."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup

from app.models.enums import MessageDirection, QuoteStatus, WorkOrderStatus
from tests import factories as f
from tests.portal_helpers import sign_in_portal

CHICAGO = ZoneInfo("America/Chicago")
SPANISH = {"Accept-Language": "es"}
# Babel's spacing: a thin space around the dash, a narrow no-break space before AM/PM.
DASH, AM, PM = "\u2009\u2013\u2009", "\u202fAM", "\u202fPM"


def _today() -> date:
    return datetime.now(CHICAGO).date()


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHICAGO).astimezone(UTC)


def _near(day: date, locale: str) -> str:
    """How a day near today reads: "Tue, Dec 8" / "mar, 8 dic"."""
    return format_date(day, "EEE, MMM d" if locale == "en" else "EEE, d MMM", locale=locale)


def _far(day: date, locale: str) -> str:
    """How a day far from today reads: "Mon, Nov 3, 2025" / "lun, 3 nov 2025"."""
    pattern = "EEE, MMM d, y" if locale == "en" else "EEE, d MMM y"
    return format_date(day, pattern, locale=locale)


def _text(page: str, selector: str = "main") -> str:
    """The text of what `selector` finds, line breaks and indents read as one space (Babel's
    thin and narrow spaces kept)."""
    found = BeautifulSoup(page, "html.parser").select(selector)
    assert found, selector
    return " ".join(re.sub(r"[ \t\r\n]+", " ", node.get_text(" ")).strip() for node in found)


@pytest.fixture
def account(app):
    """A customer with an upcoming and a year-old visit, a message, an invoice, a document,
    a quote, a request and a unit under warranty; the days it holds, by name."""
    today = _today()
    days = {
        "soon": today + timedelta(days=2),
        "old": today - timedelta(days=400),
        "message": today - timedelta(days=1),
        "issued": today - timedelta(days=10),
        "due": today + timedelta(days=20),
        "document": today - timedelta(days=3),
        "valid": today + timedelta(days=30),
        "request": today - timedelta(days=4),
    }
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Maple Court")
        prop = f.PropertyFactory(customer=customer, name="Maple house")
        user = f.PortalUserFactory(customer=customer, name="Mia Maple")
        unit = f.UnitFactory(
            property=prop, name="Attic furnace", parts_warranty_end=date(2031, 5, 1)
        )
        f.ServiceRequestFactory(unit=unit, created_at=_local(days["request"], 8))
        for status, day, hour in (
            (WorkOrderStatus.SCHEDULED, days["soon"], 9),
            (WorkOrderStatus.COMPLETED, days["old"], 14),
        ):
            f.WorkOrderFactory(
                property=prop,
                status=status,
                visit_at=_local(day, hour),
                visit_until=_local(day, hour + 2),
            )
        f.MessageFactory(
            customer=customer,
            direction=MessageDirection.FROM_OFFICE,
            body="See you soon",
            created_at=_local(days["message"], 10, 42),
        )
        invoice = f.InvoiceFactory(customer=customer, issued_on=days["issued"], due_on=days["due"])
        f.InvoiceLineFactory(invoice=invoice)
        f.DocumentFactory(customer=customer, created_at=_local(days["document"], 12))
        f.QuoteFactory(
            customer=customer,
            status=QuoteStatus.SENT,
            sent_at=_local(days["issued"], 12),
            valid_until=days["valid"],
        )
        return {"user": user.id, "invoice": invoice.id, **days}


@pytest.mark.parametrize("locale", ["en", "es"])
def test_history_shows_each_visit_as_its_window(client, account, locale):
    sign_in_portal(client, account["user"])
    page = client.get("/portal/history", headers={"Accept-Language": locale}).data.decode()
    shown = _text(page, ".work-order-when")
    if locale == "en":
        assert f"{_near(account['soon'], 'en')}, 9:00{DASH}11:00{AM} Central Time" in shown
        assert f"{_far(account['old'], 'en')}, 2:00{DASH}4:00{PM} Central Time" in shown
    else:
        assert f"{_near(account['soon'], 'es')}, 9:00\u201311:00 hora central" in shown
        assert f"{_far(account['old'], 'es')}, 14:00\u201316:00 hora central" in shown


@pytest.mark.parametrize(("locale", "time_of_day"), [("en", f"10:42{AM}"), ("es", "10:42")])
def test_messages_show_their_weekday_and_time(client, account, locale, time_of_day):
    sign_in_portal(client, account["user"])
    page = client.get("/portal/messages", headers={"Accept-Language": locale}).data.decode()
    assert _text(page, "time") == f"{_near(account['message'], locale)}, {time_of_day}"


@pytest.mark.parametrize(
    ("locale", "issued", "due"), [("en", "Issued", "Due"), ("es", "Emitida el", "Vence el")]
)
def test_invoice_days_carry_their_weekday(client, account, locale, issued, due):
    sign_in_portal(client, account["user"])
    headers = {"Accept-Language": locale}
    listed = _text(client.get("/portal/invoices", headers=headers).data.decode())
    assert f"{issued} {_near(account['issued'], locale)}" in listed
    assert f"{due} {_near(account['due'], locale)}" in listed

    page = client.get(f"/portal/invoices/{account['invoice']}", headers=headers).data.decode()
    facts = _text(page, "dd")
    assert _near(account["issued"], locale) in facts
    assert _near(account["due"], locale) in facts


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize(
    ("path", "days"),
    [
        ("/portal/documents", ["document"]),
        ("/portal/quotes", ["valid"]),
        ("/portal/requests", ["request"]),
        ("/portal/", ["request", "due", "valid"]),
    ],
)
def test_days_on_the_other_pages_carry_their_weekday(client, account, locale, path, days):
    sign_in_portal(client, account["user"])
    page = _text(client.get(path, headers={"Accept-Language": locale}).data.decode())
    for day in days:
        assert _near(account[day], locale) in page, day


@pytest.mark.parametrize(("locale", "end"), [("en", "May 1, 2031"), ("es", "1 may 2031")])
def test_warranty_ends_read_as_a_day(client, account, locale, end):
    sign_in_portal(client, account["user"])
    page = client.get("/portal/equipment", headers={"Accept-Language": locale}).data.decode()
    assert end in _text(page)
