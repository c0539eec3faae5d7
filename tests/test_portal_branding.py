"""The company's name, colour and logo on every portal page and in the portal's e-mails."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CompanySettings, OutboxMessage, PortalUser
from tests import factories as f
from tests.helpers import png, stored_logo
from tests.portal_helpers import customer_with_everything, portal_pages, portal_url, sign_in_portal

NAME, ESCAPED_NAME, COLOUR = "Frost & Sons", "Frost &amp; Sons", "#aa3300"


@pytest.fixture
def branded(app) -> dict:
    """A company with a name, colour and logo, and a customer with one of every record."""
    with app.app_context():
        logo = stored_logo(png((120, 40), COLOUR))
        f.CompanySettingsFactory(name=NAME, brand_color=COLOUR, logo_key=logo)
        return customer_with_everything("Mine")


def _assert_branded(response, where: str) -> None:
    page = response.get_data(as_text=True)
    assert ESCAPED_NAME in page, where
    assert f"--brand: {COLOUR}" in page, where
    assert 'src="/brand/logo"' in page, where


def test_every_portal_page_carries_the_name_colour_and_logo(app, client, branded):
    sign_in_portal(client, branded["user"])
    pages = 0
    for rule in portal_pages(app.url_map):
        response = client.get(portal_url(rule, branded), follow_redirects=True)
        if response.mimetype == "text/html":
            _assert_branded(response, rule.rule)
            pages += 1
    assert pages >= 10
    with client.get("/brand/logo") as logo:
        assert logo.status_code == 200 and logo.data == png((120, 40), COLOUR)


def test_the_sign_in_pages_carry_the_branding_too(app, client, branded):
    _assert_branded(client.get("/portal/login"), "login")
    client.post("/portal/login", data={"email": _email(app, branded["user"])})
    link = re.search(r"/portal/link/\S+", _last_mail(app).text_body).group(0)
    _assert_branded(client.get(link), "sign-in button")
    _assert_branded(client.get("/portal/link/not-a-real-token"), "expired link")


def test_portal_e_mails_carry_the_logo_name_and_colour(app, client, branded):
    client.post("/portal/login", data={"email": _email(app, branded["user"])})
    mail = _last_mail(app)
    assert f'<img src="{app.config["PUBLIC_BASE_URL"]}/brand/logo"' in mail.html_body
    assert ESCAPED_NAME in mail.html_body and f"background:{COLOUR}" in mail.html_body


def test_without_a_logo_pages_and_e_mails_show_no_picture(app, client, branded):
    with app.app_context():
        db.session.scalar(select(CompanySettings)).logo_key = None
        db.session.commit()
    sign_in_portal(client, branded["user"])
    page = client.get("/portal/").get_data(as_text=True)
    assert ESCAPED_NAME in page and "/brand/logo" not in page
    assert client.get("/brand/logo").status_code == 404
    client.post("/portal/logout")
    client.post("/portal/login", data={"email": _email(app, branded["user"])})
    assert "<img" not in _last_mail(app).html_body


def _email(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(PortalUser, user_id).email


def _last_mail(app) -> OutboxMessage:
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))
        db.session.expunge(mail)
        return mail
