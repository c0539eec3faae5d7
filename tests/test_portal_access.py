"""Getting into the portal: invitations, login links, the sign-in button, sign-out; the language
of the e-mails a customer gets."""

import re
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, PortalLink, PortalUser
from app.models.base import utcnow
from tests import factories as f
from tests.browser_forms import form_on
from tests.portal_helpers import sign_in_portal


def _last_link(app) -> str:
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))
        return re.search(r"https?://\S+/portal/link/\S+", mail.text_body).group(0)


def _as_for_anyone(page: bytes, email: str) -> bytes:
    """`page` with the address typed in and its CSRF tokens (they carry the second they were
    made in) blanked: what must not differ between a known and an unknown address."""
    page = page.replace(email.encode(), b"")
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _ask_for_link(client, email: str):
    """Ask for a sign-in link on the portal's sign-in page, as the browser sends it."""
    form = form_on(client.get("/portal/login"), "form[novalidate]")
    form["email"] = email
    return form.submit(client)


def _press_sign_in(client, link: str):
    """Open a link from an e-mail and press its "Sign in" button."""
    return form_on(client.get(link), "form:not(.lang-switch)").submit(client)


def _portal_user(app, **fields) -> int:
    with app.app_context():
        f.CompanySettingsFactory()
        return f.PortalUserFactory(email="pat@example.com", **fields).id


def test_an_invitation_signs_in_once_and_only_by_post(app, client, login_as):
    user_id = _portal_user(app)
    login_as("dispatcher")
    client.post("/admin/portaluser/action/", data={"action": "invite", "rowid": [user_id]})
    client.post("/logout")
    link = _path(_last_link(app))

    opened = client.get(link)  # what a mail scanner's prefetch does
    assert opened.status_code == 200 and b"Sign in" in opened.data
    assert client.get("/portal/").status_code == 302  # not signed in yet
    signed_in = _press_sign_in(client, link)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200

    client.post("/portal/logout")
    again = client.post(link)
    assert again.status_code == 410 and b"already used" in again.data
    with app.app_context():
        link_row = db.session.scalar(select(PortalLink))
        assert link_row.expires_at - link_row.created_at == timedelta(days=7)
        assert _path(_last_link(app)).split("/")[-1] not in link_row.token_hash


def test_asking_for_a_link_never_reveals_whether_the_address_is_on_file(app, client):
    _portal_user(app)
    known = _ask_for_link(client, "pat@example.com")
    unknown = _ask_for_link(client, "stranger@example.com")
    assert known.status_code == unknown.status_code == 200
    assert _as_for_anyone(known.data, "pat@example.com") == _as_for_anyone(
        unknown.data, "stranger@example.com"
    )
    with app.app_context():
        assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [
            "pat@example.com"
        ]


def test_after_signing_out_every_portal_page_sends_people_to_the_sign_in_page(app, client):
    _portal_user(app)
    _ask_for_link(client, "pat@example.com")
    _press_sign_in(client, _path(_last_link(app)))
    assert client.get("/portal/").status_code == 200

    signed_out = client.post("/portal/logout", follow_redirects=True)
    assert b"You are signed out." in signed_out.data
    for page in ("/portal/", "/portal/history"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/portal/login?next="), page


def test_login_links_expire_after_15_minutes(app, client):
    _portal_user(app)
    client.post("/portal/login", data={"email": "pat@example.com"})
    link = _path(_last_link(app))
    with app.app_context():
        row = db.session.scalar(select(PortalLink))
        assert row.expires_at - row.created_at <= timedelta(minutes=15)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.post(link).status_code == 410
    assert client.get("/portal/").status_code == 302


def test_links_are_long_random_tokens(app, client):
    _portal_user(app)
    client.post("/portal/login", data={"email": "pat@example.com"})
    token = _last_link(app).rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, URL-safe base64


LEAVING_THE_PORTAL = (
    "https://evil.example/",
    "//evil.example/portal/",
    "/admin/",
    "/portalx/",
    "/portal/../admin/",
    "/portal/./../admin/",
    "/portal/%2e%2e/admin/",
    "/portal/%2E%2E/admin/",
    "/portal/.%2e/admin/",
    "/portal/..%2fadmin/",
    "/portal%2f..%2fadmin/",
    "/portal\\..\\admin\\",
    "/portal/%5c..%5cadmin",
    "/\\evil.example/portal/",
    "/%2f/evil.example/portal/",
    "/%2F%2Fevil.example/portal/",
    "/\t/evil.example/portal/",
    "/portal/%0a/../../admin/",
)


def test_next_only_ever_leads_inside_the_portal(app, client):
    _portal_user(app)
    for target, expected in (
        ("/portal/", "/portal/"),
        ("/portal/history?property_id=3", "/portal/history?property_id=3"),
        ("/portal/units/../history", "/portal/history"),
        *((target, "/portal/") for target in LEAVING_THE_PORTAL),
    ):
        client.post("/portal/logout")
        client.post("/portal/login", data={"email": "pat@example.com"})
        response = client.post(_path(_last_link(app)), data={"next": target})
        assert response.headers["Location"] == expected, target


def test_a_disabled_portal_user_is_out_at_the_next_request(app, client):
    user_id = _portal_user(app)
    sign_in_portal(client, user_id)
    assert client.get("/portal/").status_code == 200
    with app.app_context():
        db.session.get(PortalUser, user_id).active = False
        db.session.commit()
    assert client.get("/portal/").status_code == 302


def test_login_link_requests_are_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_LINK_RATE_LIMIT", "2 per minute")
    for _ in range(2):
        assert client.post("/portal/login", data={"email": "a@example.com"}).status_code == 200
    assert client.post("/portal/login", data={"email": "a@example.com"}).status_code == 429


def test_login_links_for_one_address_are_limited_from_anywhere_known_or_not(
    app, client, monkeypatch
):
    monkeypatch.setitem(app.config, "PORTAL_LINK_RATE_LIMIT_PER_EMAIL", "2 per minute")
    _portal_user(app)

    def ask(email: str, address: str):
        return client.post(
            "/portal/login", data={"email": email}, environ_base={"REMOTE_ADDR": address}
        )

    answers = {}
    for email in ("pat@example.com", "stranger@example.com"):
        assert ask(email, "10.0.0.1").status_code == 200
        assert ask(email.title(), "10.0.0.2").status_code == 200
        blocked = ask(email, "10.0.0.3")
        assert blocked.status_code == 429
        answers[email] = blocked.data.replace(email.encode(), b"x")
    assert answers["pat@example.com"] == answers["stranger@example.com"]
    assert b"Too many" in answers["pat@example.com"]
    assert ask("someone.else@example.com", "10.0.0.3").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_staff_and_strangers_cannot_see_the_portal(app, client, login_as):
    assert client.get("/portal/").headers["Location"].startswith("/portal/login")
    login_as("admin")
    assert client.get("/portal/").headers["Location"].startswith("/portal/login")


def test_the_language_follows_the_browser_and_the_switcher(app, client):
    english = client.get("/portal/login")
    assert b'lang="en"' in english.data
    spanish = client.get("/portal/login", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert b'lang="es"' in spanish.data
    client.post("/language", data={"lang": "en", "next": "/portal/login"})
    assert b'lang="en"' in client.get("/portal/login", headers={"Accept-Language": "es"}).data


def test_mails_carry_the_company_branding(app, client):
    with app.app_context():
        f.CompanySettingsFactory(name="Frost & Sons <HVAC>", brand_color="#aa3300")
        f.PortalUserFactory(email="pat@example.com")
    client.post("/portal/login", data={"email": "pat@example.com"})
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage))
    assert "Frost & Sons <HVAC>" in mail.text_body
    assert "background:#aa3300" in mail.html_body
    assert "Frost &amp; Sons &lt;HVAC&gt;" in mail.html_body
    link = re.search(r"https?://\S+/portal/link/\S+", mail.text_body).group(0)
    button = BeautifulSoup(mail.html_body, "html.parser").select_one("a.mail-button")
    assert button["href"] == link and button.get_text() == "Sign in"
    assert "background:#aa3300" in button["style"] and "color:#ffffff" in button["style"]


# Languages: a customer's e-mails are in their language, whoever sends them


def _mails_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        mails = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == email)
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return mails


def _language(app, user_id: int) -> str | None:
    with app.app_context():
        return db.session.get(PortalUser, user_id).language


ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_spanish_speaking_customer_gets_a_spanish_invitation_from_english_staff(
    app, client, login_as
):
    user_id = _portal_user(app, language="es")
    login_as("dispatcher")
    client.post(
        "/admin/portaluser/action/",
        data={"action": "invite", "rowid": [user_id]},
        headers=ENGLISH,
    )
    [mail] = _mails_to(app, "pat@example.com")
    assert mail.subject == "Le invitamos a su portal de servicio"
    assert "Hola, " in mail.text_body and 'lang="es"' in mail.html_body
    # the staff member's own pages stay in English
    assert b"invitations sent" in client.get("/admin/portaluser/", headers=ENGLISH).data


def test_a_spanish_speaking_customer_gets_a_spanish_sign_in_link_from_any_browser(app, client):
    _portal_user(app, language="es")
    client.post("/portal/login", data={"email": "pat@example.com"}, headers=ENGLISH)
    [mail] = _mails_to(app, "pat@example.com")
    assert mail.subject == "Su enlace para iniciar sesión" and "Hola, " in mail.text_body


def test_reply_mails_go_out_in_each_portal_users_language(app, client, login_as):
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory()
        f.PortalUserFactory(customer=customer, email="ana@example.com", language="es")
        f.PortalUserFactory(customer=customer, email="bob@example.com")
        customer_id = customer.id
    login_as("dispatcher")
    client.post(
        f"/admin/conversations/{customer_id}", data={"body": "We come Monday."}, headers=ENGLISH
    )
    [spanish] = _mails_to(app, "ana@example.com")
    [english] = _mails_to(app, "bob@example.com")
    assert spanish.subject.startswith("Nuevo mensaje de") and "Hola, " in spanish.text_body
    assert english.subject.startswith("New message from") and "Hello " in english.text_body


def test_the_portal_remembers_the_language_of_the_sign_in_and_the_switcher(app, client):
    user_id = _portal_user(app)
    assert _language(app, user_id) is None
    client.post("/portal/login", data={"email": "pat@example.com"})
    client.post(_path(_last_link(app)), headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert _language(app, user_id) == "es"
    client.post("/language", data={"lang": "en", "next": "/portal/"})
    assert _language(app, user_id) == "en"
    client.post("/portal/logout")
    client.post(
        "/portal/login", data={"email": "pat@example.com"}, headers={"Accept-Language": "es"}
    )
    assert _mails_to(app, "pat@example.com")[-1].subject == "Your sign-in link"


def test_staff_set_a_portal_users_language_in_the_admin_form(app, client, login_as):
    user_id = _portal_user(app)
    login_as("dispatcher")
    form = client.get(f"/admin/portaluser/edit/?id={user_id}").data.decode()
    assert "Language of their e-mails" in form and "Español" in form
    with app.app_context():
        customer_id = db.session.get(PortalUser, user_id).customer_id
    client.post(
        f"/admin/portaluser/edit/?id={user_id}",
        data={
            "customer": customer_id,
            "name": "Pat",
            "email": "pat@example.com",
            "language": "es",
            "active": "y",
        },
    )
    assert _language(app, user_id) == "es"
