"""A stranger's sticker page is kept rendered for a few seconds (qr/kept_pages.py): the next
stranger gets it without a database read, and it still says exactly what a fresh page would:
a revoked sticker, a changed company, a booked window or another language show at once, a
form sent from a kept page is checked like any other, and nobody's own details are kept."""

from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import PortalUser, ServiceRequest, StaffUser, Unit
from qr import kept_pages
from qr.tokens import reissue_sticker, revoke_sticker
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import bookable_technician, pass_keeping_time
from tests.query_count import counting_queries
from tests.signed_in import sign_in_client

TYPED = {"contact_name": "Sam Renter", "contact_phone": "555 010 2020", "description": "No heat"}


@pytest.fixture
def unit(app, monkeypatch):
    """A unit with its owner's portal user; CSRF on, as in production. Returns ids."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context():
        f.CompanySettingsFactory(name="Polar Bear Heating")
        unit = f.UnitFactory()
        owner = f.PortalUserFactory(
            customer=unit.property.customer, name="Olive Owner", email="olive@example.com"
        )
        db.session.commit()
        return {"id": unit.id, "token": unit.qr_token, "owner": owner.id}


def _stranger(app):
    return app.test_client()


def _opened(app, client, url, **headers) -> tuple[object, list[str]]:
    with counting_queries(app) as statements:
        page = client.get(url, headers=headers)
    return page, statements


def _requests(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ServiceRequest.id)))


def _sent(app, client, url):
    form = form_on(client.get(url))
    for name, value in TYPED.items():
        form[name] = value
    return client.post(url, data=form.data())


def test_the_next_stranger_gets_the_page_without_a_database_read_and_can_send_it(app, unit):
    url = f"/U/{unit['token']}"
    first, _ = _opened(app, _stranger(app), url)
    again, statements = _opened(app, _stranger(app), url)
    assert statements == []
    assert again.text == first.text and "Polar Bear Heating" in again.text
    assert "Set-Cookie" not in again.headers and "Content-Security-Policy" in again.headers
    answer = _sent(app, _stranger(app), url)
    assert answer.status_code == 302 and "/request-status/" in answer.location
    assert _requests(app) == 1


@pytest.mark.parametrize("change", [revoke_sticker, reissue_sticker])
def test_a_revoked_or_reissued_sticker_stops_showing_its_form_at_once(app, unit, change):
    url = f"/u/{unit['token']}"
    stranger = _stranger(app)
    kept_form = form_on(stranger.get(url))
    with app.app_context():
        change(db.session.get(Unit, unit["id"]), actor=None)
        db.session.commit()
    assert stranger.get(url).status_code == 404
    for name, value in TYPED.items():
        kept_form[name] = value
    assert stranger.post(url, data=kept_form.data()).status_code == 404
    assert _requests(app) == 0


def test_a_sticker_revoked_by_another_process_shows_within_the_keeping_time(app, unit, monkeypatch):
    url = f"/u/{unit['token']}"
    stranger = _stranger(app)
    kept_form = form_on(stranger.get(url))
    with app.app_context():
        connection = db.engine.raw_connection()  # unseen by this process's listeners
        try:
            connection.cursor().execute("UPDATE units SET qr_token = NULL")
            connection.commit()
        finally:
            connection.close()
    assert stranger.get(url).status_code == 200  # another web worker's copy, for a moment
    for name, value in TYPED.items():
        kept_form[name] = value
    assert stranger.post(url, data=kept_form.data()).status_code == 404
    assert _requests(app) == 0
    pass_keeping_time(monkeypatch, kept_pages.PAGES)
    assert stranger.get(url).status_code == 404


def test_each_language_gets_its_own_page(app, unit):
    url = f"/U/{unit['token']}"
    english = _stranger(app).get(url).text
    spanish = _stranger(app).get(url, headers={"Accept-Language": "es"}).text
    assert "Send request" in english and 'lang="en"' in english
    assert "Send request" not in spanish and 'lang="es"' in spanish
    assert _stranger(app).get(url).text == english
    picked = _stranger(app)
    with picked.session_transaction() as session:
        session["lang"] = "es"  # what the language switcher keeps
    assert 'lang="es"' in picked.get(url).text


def test_a_kept_page_never_carries_or_hides_a_signed_in_persons_details(
    app, client, unit, login_as
):
    url = f"/u/{unit['token']}"
    stranger = _stranger(app)
    blank = stranger.get(url).text
    owner = app.test_client()
    sign_in_client(owner, PortalUser, unit["owner"])
    assert owner.get(url).status_code == 302  # to their own unit page
    theirs = owner.get(url + "?form=1").text
    assert "Olive Owner" in theirs and "olive@example.com" in theirs
    assert stranger.get(url).text == blank and "Olive Owner" not in blank
    login_as("technician")
    assert 'name="description"' not in client.get(url).text  # the unit's history instead
    assert "olive@example.com" not in stranger.get(url).text


def test_open_windows_are_read_afresh_for_every_stranger(app, client):
    with app.app_context():
        tess = bookable_technician(sticker_booking=True)
        token, tess_id = f.UnitFactory().qr_token, tess.id
        db.session.commit()

    def offered() -> list[str]:
        page = BeautifulSoup(_stranger(app).get(f"/u/{token}").text, "html.parser")
        return [radio["value"] for radio in page.select("input[name=window]")]

    before = offered()
    with app.app_context():
        taken = f.WorkOrderFactory(
            technician=db.session.get(StaffUser, tess_id),
            visit_at=datetime.fromisoformat(before[0]),
        )
        taken.visits[0].duration_minutes = 120
        db.session.commit()
    after = offered()
    assert before[0] not in after and before[1] in after


def test_pages_of_many_stickers_are_kept_up_to_a_limit(app, unit, monkeypatch):
    monkeypatch.setattr(kept_pages.PAGES, "most", 2)
    with app.app_context():
        others = [f.UnitFactory().qr_token for _ in range(2)]
        db.session.commit()
    urls = [f"/u/{token}" for token in (unit["token"], *others)]
    for url in urls:
        _stranger(app).get(url)
    assert _opened(app, _stranger(app), urls[-1])[1] == []
    assert _opened(app, _stranger(app), urls[0])[1] != []  # the oldest made way
