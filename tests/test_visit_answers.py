"""The confirm / reschedule / cancel links in visit e-mails: no sign-in, opening one changes
nothing, pressing its button answers once; the office sees the answer."""

import re
import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, Visit, VisitAnswerLink
from app.models.enums import VisitStatus
from app.services.company import current_company, local_today
from app.services.scheduling import Slot, book_visit
from app.services.visit_answers import cancel_visit
from app.services.visit_links import EXPIRED, AnswerError, find_answer_link
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import at_once, committed_or_refused

LINK = re.compile(r"http://\S+/visit/(\S+)")


@pytest.fixture
def booked(app):
    """A visit three days out, booked (so e-mailed) to the customer's portal user; the
    paths of the e-mail's confirm, reschedule and cancel links."""
    with app.app_context():
        company = f.CompanySettingsFactory()
        technician = f.technician_working_every_day("Tess Tran")
        work_order = f.WorkOrderFactory(visit_at=None)
        user = f.PortalUserFactory(customer=work_order.customer, name="Ann Lee")
        day = local_today() + timedelta(days=3)
        start = datetime.combine(day, time(8), tzinfo=company.zone).astimezone(UTC)
        visit = book_visit(
            work_order, Slot(start, start + timedelta(hours=2), 60, technician.id), actor=None
        )
        db.session.commit()
        [mail] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == user.email)
        ).all()
        paths = dict(
            zip(("confirm", "reschedule", "cancel"), LINK.findall(mail.text_body), strict=True)
        )
        return {
            "visit": visit.id,
            "email": user.email,
            "technician": technician.id,
            "text": mail.text_body,
            **{k: f"/visit/{token}" for k, token in paths.items()},
        }


def _visit(app, visit_id: int) -> tuple[VisitStatus, datetime]:
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        return visit.status, visit.arrival_start


def _mails(app, to: str) -> list[str]:
    with app.app_context():
        return [
            (m.subject, m.text_body)
            for m in db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == to)
                .order_by(OutboxMessage.id)
            )
        ]


def _answers(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (link.purpose.value, link.reason)
            for link in db.session.scalars(
                select(VisitAnswerLink).where(VisitAnswerLink.used_at.is_not(None))
            )
        ]


def test_the_booking_mail_carries_three_links_and_opening_one_changes_nothing(app, client, booked):
    assert "Confirm you will be there:" in booked["text"]
    assert {"confirm", "reschedule", "cancel"} <= booked.keys()
    page = client.get(booked["confirm"])
    assert page.status_code == 200
    assert "Confirm your visit" in page.text and "Tess" in page.text
    assert "Tran" not in page.text  # the technician's first name only
    assert _visit(app, booked["visit"])[0] == VisitStatus.SCHEDULED
    with app.app_context():  # the tokens are stored hashed, never as they are
        stored = set(db.session.scalars(select(VisitAnswerLink.token_hash)))
    tokens = {booked[answer].rsplit("/", 1)[1] for answer in ("confirm", "reschedule", "cancel")}
    assert len(stored) == 3 and not tokens & stored


def test_confirming_from_the_link(app, client, booked):
    done = form_on(client.get(booked["confirm"])).submit(client)
    assert done.status_code == 200 and "your visit is confirmed" in done.text
    assert _visit(app, booked["visit"])[0] == VisitStatus.CONFIRMED
    assert _answers(app) == [("confirm", "")]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "visit_answered"))
        assert "confirmed by the customer" in event.summary
    again = client.get(booked["confirm"])
    assert again.status_code == 410 and "This link cannot be used" in again.text


def test_cancelling_needs_a_reason_and_tells_the_customer(app, client, booked):
    form = form_on(client.get(booked["cancel"]))
    refused = form.submit(client)
    assert refused.status_code == 200 and "This field is required" in refused.text
    assert _visit(app, booked["visit"])[0] == VisitStatus.SCHEDULED
    form["reason"] = "The unit started working again"
    done = form.submit(client)
    assert "Your visit is cancelled" in done.text
    assert _visit(app, booked["visit"])[0] == VisitStatus.CANCELLED
    assert _answers(app) == [("cancel", "The unit started working again")]
    subject, text = _mails(app, booked["email"])[-1]
    assert subject.startswith("Your visit on") and "Reason: The unit started working again" in text
    # The other links of that e-mail no longer change a cancelled visit.
    assert client.get(booked["reschedule"]).status_code == 410


def test_rescheduling_offers_open_windows_and_moves_the_visit(app, client, booked):
    before = _visit(app, booked["visit"])[1]
    page = client.get(booked["reschedule"])
    form = form_on(page)
    offered = form.options["window"]
    assert before.isoformat() not in offered and offered
    chosen = offered[1]
    form.check("window", chosen)
    done = form.submit(client)
    assert "Your visit has moved" in done.text
    status, start = _visit(app, booked["visit"])
    assert start.isoformat() == chosen and status == VisitStatus.SCHEDULED
    assert _answers(app) == [("reschedule", "")]
    subject, text = _mails(app, booked["email"])[-1]
    assert subject.startswith("Your visit has moved") and "/visit/" in text


def test_a_window_taken_meanwhile_is_refused_with_a_message(app, client, booked):
    form = form_on(client.get(booked["reschedule"]))
    chosen = form.options["window"][0]
    form.check("window", chosen)
    with app.app_context():  # the office fills that window before the customer presses Move
        start = datetime.fromisoformat(chosen)
        book_visit(
            f.WorkOrderFactory(visit_at=None),
            Slot(start, start + timedelta(hours=2), 120, booked["technician"]),
            actor=None,
        )
        db.session.commit()
    refused = form.submit(client)
    assert refused.status_code == 409 and "just taken" in refused.text
    assert _answers(app) == []


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "caf%C3%A9"])
def test_unknown_links_get_a_clear_page(client, booked, token):
    page = client.get(f"/visit/{token}")
    assert page.status_code == 410 and "This link cannot be used" in page.text
    assert client.post(f"/visit/{token}").status_code == 410


def test_a_link_expires_with_the_visit_window(app, client, booked):
    with app.app_context():
        visit = db.session.get(Visit, booked["visit"])
        visit.arrival_start -= timedelta(days=10)
        visit.arrival_end -= timedelta(days=10)
        db.session.commit()
    page = client.get(booked["confirm"])
    assert page.status_code == 410 and "can no longer be changed" in page.text


def _day_of(app, visit_id: int) -> str:
    """The visit's local day, as the board's ?day= takes it."""
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        return visit.arrival_start.astimezone(current_company().zone).date().isoformat()


def test_the_office_sees_each_answer_on_the_board_and_the_dashboard(app, client, booked, login_as):
    form_on(client.get(booked["confirm"])).submit(client)
    login_as("dispatcher")
    board = BeautifulSoup(
        client.get(f"/admin/board/?day={_day_of(app, booked['visit'])}").text, "html.parser"
    )
    [block] = board.select(f"[data-visit='{booked['visit']}']")
    assert "Customer: Confirmed" in block.get_text(" ", strip=True)
    dashboard = BeautifulSoup(client.get("/admin/").text, "html.parser")
    answers = dashboard.select_one("section[aria-labelledby=customer-answers]")
    assert "Confirmed" in answers.get_text(" ", strip=True) and "WO-" in answers.text


def test_a_cancel_reason_reaches_the_dashboard(app, client, booked, login_as):
    form = form_on(client.get(booked["cancel"]))
    form["reason"] = "Moved out <b>last week</b>"
    form.submit(client)
    login_as("manager")
    dashboard = BeautifulSoup(client.get("/admin/").text, "html.parser")
    answers = dashboard.select_one("section[aria-labelledby=customer-answers]").get_text(
        " ", strip=True
    )
    assert "Cancelled" in answers and "Reason: Moved out <b>last week</b>" in answers


def test_answers_are_rate_limited_per_address_like_the_sticker(app, client, booked, monkeypatch):
    monkeypatch.setitem(app.config, "QR_RATE_LIMIT_PER_ADDRESS", "2 per minute")
    assert [client.post(f"/visit/guess-{n}").status_code for n in range(2)] == [410, 410]
    blocked = form_on(client.get(booked["confirm"])).submit(client)
    assert blocked.status_code == 429 and "Too many tries" in blocked.text
    assert _visit(app, booked["visit"])[0] == VisitStatus.SCHEDULED


def test_two_clicks_at_the_same_moment_answer_once(app, booked):
    """Both presses find the link unused; the second waits for the first's write, then finds
    it spent: one cancel, one audit event, one cancel e-mail."""
    token = booked["cancel"].rsplit("/", 1)[1]
    both_found = threading.Barrier(2, timeout=20)
    outcomes = []

    def press():
        with app.app_context(), committed_or_refused(outcomes, "cancelled", AnswerError):
            link = find_answer_link(token)
            both_found.wait()
            cancel_visit(link, "Double click", ip_address="192.0.2.1")

    at_once(press, press)
    assert sorted(outcomes) == sorted(["cancelled", str(EXPIRED)])
    assert _answers(app) == [("cancel", "Double click")]
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "visit_answered")
        ).all()
        assert len(events) == 1
    cancels = [s for s, _ in _mails(app, booked["email"]) if s.startswith("Your visit on")]
    assert len(cancels) == 1


def test_the_answer_pages_speak_the_browsers_language(client, booked):
    page = client.get(booked["confirm"], headers={"Accept-Language": "es"}).text
    assert "Confirme su visita" in page and "Sí, estaré allí" in page
    assert "hora central" in page  # the window in Spanish words
    gone = client.get("/visit/nothing", headers={"Accept-Language": "es"}).text
    assert "Este enlace ha caducado o ya se usó" in gone
