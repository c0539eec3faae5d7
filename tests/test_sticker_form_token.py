"""The sticker page sets no cookie for a stranger: its request form carries a signed token
bound to the sticker and the time, checked when the form is sent."""

import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from app.extensions import db
from app.models import ServiceRequest
from qr.forms import FORM_TOKEN_MAX_AGE
from tests import factories as f
from tests.browser_forms import form_on

TYPED = {"contact_name": "Sam Renter", "contact_phone": "555 010 2020", "description": "No heat"}


@pytest.fixture
def tokens(app, monkeypatch):
    """CSRF on, as in production; two stickers' tokens."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context():
        f.CompanySettingsFactory()
        return f.UnitFactory().qr_token, f.UnitFactory().qr_token


def _requests(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ServiceRequest.id)))


def _filled(page):
    form = form_on(page)
    for name, value in TYPED.items():
        form[name] = value
    return form


def test_a_stranger_scanning_a_sticker_gets_no_cookie(client, tokens):
    response = client.get(f"/U/{tokens[0]}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert form_on(response)["csrf_token"]


def test_the_form_as_a_browser_sends_it_is_accepted(app, client, tokens):
    form = _filled(client.get(f"/U/{tokens[0]}"))
    response = client.post(f"/u/{tokens[0]}", data=form.data())
    assert response.status_code == 302 and "/request-status/" in response.location
    assert _requests(app) == 1


@pytest.mark.parametrize(
    "token",
    [[], "forged", "other sticker"],
    ids=["missing", "forged", "signed for another sticker"],
)
def test_a_post_without_this_stickers_token_is_refused_and_keeps_the_typing(
    app, client, tokens, token
):
    form = _filled(client.get(f"/U/{tokens[0]}"))
    if token == "other sticker":
        form.tamper("csrf_token", form_on(client.get(f"/U/{tokens[1]}"))["csrf_token"])
    else:
        form.tamper("csrf_token", token)
    response = client.post(f"/u/{tokens[0]}", data=form.data())
    assert response.status_code == 400
    page = response.data.decode()
    assert "open too long or was sent from elsewhere" in page
    again = form_on(response)
    assert again["contact_name"] == "Sam Renter" and again["description"] == "No heat"
    assert _requests(app) == 0
    retried = client.post(f"/u/{tokens[0]}", data=again.data())
    assert retried.status_code == 302 and _requests(app) == 1


def test_a_page_left_open_too_long_is_refused(app, client, tokens, monkeypatch):
    opened = time.time() - FORM_TOKEN_MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as then:
        then.setattr(TimestampSigner, "get_timestamp", lambda signer: int(opened))
        form = _filled(client.get(f"/U/{tokens[0]}"))
    response = client.post(f"/u/{tokens[0]}", data=form.data())
    assert response.status_code == 400 and b"open too long" in response.data
    assert _requests(app) == 0
