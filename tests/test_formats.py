"""Money, days and times read in the reader's language and the company's time zone, in pages,
e-mails and PDFs alike."""

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from app import formatting
from app.extensions import db
from app.formatting import (
    hour_mark,
    local_date,
    local_datetime,
    local_time,
    money,
    time_range,
    weekday_date,
    weekday_datetime,
    window,
)
from app.models import CompanySettings, OutboxMessage
from app.services.company import forget_company
from app.services.portal_access import mail_portal_user
from tests import factories as f

# 16:00 UTC on a winter day: 10:00 in Chicago, 08:00 in Los Angeles.
MOMENT = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)


@pytest.fixture
def december_first(monkeypatch):
    """Today is Tue, Dec 1, 2026 in the company's zone (days near it read without a year)."""
    monkeypatch.setattr(formatting, "local_today", lambda: date(2026, 12, 1))


def _company(time_zone: str = "America/Chicago") -> None:
    f.CompanySettingsFactory(time_zone=time_zone)
    db.session.commit()
    forget_company()


def test_money_in_english_and_spanish(app):
    with app.test_request_context():
        assert money(462336) == "$4,623.36"
        assert money(-1200) == "-$12.00"
        assert money(None) == ""
        assert money(1250, "EUR") == "€12.50"
        with force_locale("es"):
            assert money(462336) == "4.623,36\xa0US$"


def test_money_without_a_currency_of_its_own_is_in_the_companys(app):
    """Work orders, their lines and the price book carry no currency: the company's applies."""
    with app.test_request_context():
        f.CompanySettingsFactory(currency="CAD")
        db.session.commit()
        forget_company()
        assert money(27400) == "CA$274.00"
        assert money(27400, "USD") == "$274.00"  # an invoice's own currency wins


def test_days_and_times_in_the_company_time_zone_and_the_readers_language(app):
    with app.test_request_context():
        _company()
        assert local_date(MOMENT) == "Dec 8, 2026"
        assert local_time(MOMENT) == "10:00\u202fAM"
        assert local_datetime(MOMENT) == "Dec 8, 2026, 10:00\u202fAM"
        assert local_date(date(2027, 1, 4)) == "Jan 4, 2027"
        assert local_date(None) == local_datetime(None) == local_time(None) == ""
        with force_locale("es"):
            assert local_date(MOMENT) == "8 dic 2026"
            assert local_time(MOMENT) == "10:00"
            assert local_datetime(MOMENT) == "8 dic 2026, 10:00"


def test_a_late_evening_belongs_to_the_companys_day_not_utcs(app):
    """01:30 UTC on the 9th is still the evening of the 8th in Chicago."""
    with app.test_request_context():
        _company()
        assert local_date(datetime(2026, 12, 9, 1, 30, tzinfo=UTC)) == "Dec 8, 2026"


def test_another_company_time_zone_moves_every_time(app):
    with app.test_request_context():
        _company("America/Los_Angeles")
        assert local_time(MOMENT) == "8:00\u202fAM"
        assert window(MOMENT, LATER).endswith("Pacific Time")


def test_a_visit_window_reads_as_words(app, december_first):
    with app.test_request_context():
        _company()
        two_hours = "10:00\u202fAM\u2009–\u200912:00\u202fPM"
        assert window(MOMENT, LATER) == f"Tue, Dec 8, {two_hours} Central Time"
        assert window(MOMENT) == "Tue, Dec 8, 10:00\u202fAM Central Time"
        with force_locale("es"):
            assert window(MOMENT, LATER) == "mar, 8 dic, 10:00–12:00 hora central"


def test_a_span_of_times_reads_as_the_reader_writes_times(app):
    """The board's hours, visit blocks and arrival-window buttons: the clock the reader uses."""
    with app.test_request_context():
        _company()
        assert time_range(MOMENT, LATER) == "10:00\u202fAM\u2009–\u200912:00\u202fPM"
        assert time_range(time(14), time(16)) == "2:00\u2009–\u20094:00\u202fPM"
        assert [hour_mark(hour) for hour in (7, 13)] == ["7 AM", "1 PM"]
        with force_locale("es"):
            assert time_range(MOMENT, LATER) == "10:00–12:00"
            assert time_range(time(14), time(16)) == "14:00–16:00"
            assert [hour_mark(hour) for hour in (7, 13)] == ["7:00", "13:00"]


def test_days_people_act_on_carry_their_weekday_and_a_year_only_when_far(app, december_first):
    with app.test_request_context():
        _company()
        assert weekday_date(MOMENT) == "Tue, Dec 8"
        assert weekday_date(date(2027, 1, 4)) == "Mon, Jan 4"
        assert weekday_date(date(2027, 7, 4)) == "Sun, Jul 4, 2027"
        assert weekday_date(date(2025, 11, 3)) == "Mon, Nov 3, 2025"
        assert weekday_datetime(MOMENT) == "Tue, Dec 8, 10:00\u202fAM"
        # 01:30 UTC on the 9th is still the evening of the 8th in Chicago.
        assert (
            weekday_datetime(datetime(2026, 12, 9, 1, 30, tzinfo=UTC)) == "Tue, Dec 8, 7:30\u202fPM"
        )
        past = datetime(2025, 3, 2, 16, tzinfo=UTC)
        assert window(past, past.replace(hour=18)).startswith("Sun, Mar 2, 2025, 10:00")
        assert weekday_date(None) == weekday_datetime(None) == ""
        with force_locale("es"):
            assert weekday_date(date(2027, 1, 4)) == "lun, 4 ene"
            assert weekday_date(date(2025, 11, 3)) == "lun, 3 nov 2025"
            assert weekday_datetime(MOMENT) == "mar, 8 dic, 10:00"


def test_a_spanish_customers_email_has_spanish_days_and_money(app):
    """Mail is written under the portal user's language, even when the office sends it."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        _company()
        user = f.PortalUserFactory(language="es")
        quote = f.QuoteFactory(
            customer=user.customer, valid_until=date(2027, 1, 4), total_cents=462336
        )
        db.session.commit()
        mail_portal_user(user, "Presupuesto", "quote_sent", quote=quote, link="https://x.test/q")
        db.session.flush()
        body = db.session.scalars(db.select(OutboxMessage)).one().text_body
    assert "4 ene 2027" in body and "2027-01-04" not in body
    assert "4.623,36\xa0US$" in body


def test_the_company_row_decides_the_zone_of_each_request(app, client):
    with app.app_context():
        _company("Asia/Tokyo")
        assert db.session.scalar(db.select(CompanySettings.time_zone)) == "Asia/Tokyo"
    with app.test_request_context():
        assert local_time(MOMENT) == "1:00\u202fAM"
