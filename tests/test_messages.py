"""Messages: a customer's conversation with the office, in the portal and in the back office."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Customer, Message, OutboxMessage, StaffUser
from app.models.base import utcnow
from app.models.enums import MessageDirection, StaffRole, WorkOrderStatus
from app.queries.paging import PER_PAGE as PAGE_SIZE
from app.services.messages import MAX_BODY_LENGTH
from tests import factories as f
from tests.browser_forms import form_on
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries
from tests.signed_in import sign_in_client


@pytest.fixture
def shop(app):
    """A company, a customer with two active portal users and a former one, and a work order."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Maple Court HOA")
        pat = f.PortalUserFactory(customer=customer, name="Pat Owner", email="pat@example.com")
        sam = f.PortalUserFactory(customer=customer, name="Sam Manager", email="sam@example.com")
        f.PortalUserFactory(customer=customer, email="gone@example.com", active=False)
        work_order = f.WorkOrderFactory(property__customer=customer, summary="Rooftop unit 3")
        return {
            "customer": customer.id,
            "pat": pat.id,
            "sam": sam.id,
            "work_order": work_order.id,
            "work_order_number": work_order.number,
        }


@pytest.fixture
def portal(app):
    """A second test client for the customer, next to `client` for staff."""
    return app.test_client()


def _messages(app, **where) -> list[Message]:
    with app.app_context():
        rows = db.session.scalars(select(Message).filter_by(**where).order_by(Message.id)).all()
        db.session.expunge_all()
        return rows


def _send(portal, body: str, work_order=None, *, tampered: bool = False):
    """Send a message from the portal's messages page as the customer's browser would."""
    form = form_on(portal.get("/portal/messages"), "form[action='/portal/messages']")
    form["body"] = body
    if tampered:
        form.tamper("work_order", work_order)
    elif work_order is not None:
        form["work_order"] = str(work_order)
    return form.submit(portal)


def _unread_badge(page: str) -> bool:
    return "unread message" in page


def test_a_customer_message_reaches_the_office_and_the_reply_reaches_the_customer(
    app, client, portal, login_as, shop
):
    sign_in_portal(portal, shop["pat"])
    sent = _send(portal, "The rooftop unit is dripping.", shop["work_order"])
    assert sent.status_code == 302 and sent.headers["Location"] == "/portal/messages#newest"
    (question,) = _messages(app)
    assert question.direction == MessageDirection.FROM_CUSTOMER
    assert question.portal_author_id == shop["pat"] and question.work_order_id == shop["work_order"]
    assert question.customer_id == shop["customer"] and question.read_at is None

    staff_id = login_as("dispatcher", name="Dana Dispatch")
    dashboard = client.get("/admin/").data.decode()
    assert "Unread customer messages" in dashboard and "/admin/conversations/?unread=1" in dashboard
    listing = client.get("/admin/conversations/?unread=1").data.decode()
    assert "Maple Court HOA" in listing and "The rooftop unit is dripping." in listing
    assert '<span class="badge badge-danger">1</span>' in listing
    thread = client.get(f"/admin/conversations/{shop['customer']}").data.decode()
    assert "Pat Owner" in thread and "Unread" in thread and shop["work_order_number"] in thread
    assert "Pat Owner, Sam Manager" in thread  # who will be told about a reply
    assert _messages(app)[0].read_at is None  # looking is not answering

    replied = client.post(
        f"/admin/conversations/{shop['customer']}",
        data={"body": "A technician comes tomorrow at 9.", "seen_up_to": question.id},
    )
    assert replied.status_code == 302
    question, answer = _messages(app)
    assert question.read_at is not None
    assert answer.direction == MessageDirection.FROM_OFFICE and answer.staff_author_id == staff_id
    with app.app_context():
        mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.to_address for m in mails] == ["pat@example.com", "sam@example.com"]
        assert all("http://" in m.text_body and "/portal/messages" in m.text_body for m in mails)
        assert "A technician comes tomorrow" not in mails[0].text_body  # words stay in the portal
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["message_posted", "message_replied"]
    assert "Unread customer messages" in client.get("/admin/").data.decode()
    listing = client.get("/admin/conversations/").data.decode()
    assert '<span class="badge badge-danger">1</span>' not in listing

    assert _unread_badge(portal.get("/portal/").data.decode())
    page = portal.get("/portal/messages").data.decode()
    assert "A technician comes tomorrow at 9." in page and "Dana Dispatch" in page
    assert "The rooftop unit is dripping." in page and 'badge-warn">New<' in page
    assert not _unread_badge(page)  # shown, so read: the badge on this very page is gone
    assert not _unread_badge(portal.get("/portal/").data.decode())
    assert _messages(app)[1].read_at is not None


def test_every_portal_user_of_the_customer_shares_one_thread_and_nobody_else_sees_it(
    app, portal, shop
):
    with app.app_context():
        f.MessageFactory(
            customer=db.session.get(Customer, shop["customer"]),
            portal_author_id=shop["sam"],
            body="Ours",
        )
        secret = f.MessageFactory(body="Another customer's secret")
        stranger = f.PortalUserFactory(customer=secret.customer).id
    sign_in_portal(portal, shop["pat"])
    page = portal.get("/portal/messages").data.decode()
    assert "Ours" in page and "Sam Manager" in page and "secret" not in page
    sign_in_portal(portal, stranger)
    page = portal.get("/portal/messages").data.decode()
    assert "Another customer&#39;s secret" in page and "Ours" not in page


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a message before sending it."),
        ("   \n  ", "Write a message before sending it."),
        ("x" * (MAX_BODY_LENGTH + 1), "Keep your message under 5,000 characters."),
    ],
)
def test_an_empty_or_overlong_message_is_a_form_error(app, portal, shop, body, error):
    sign_in_portal(portal, shop["pat"])
    response = _send(portal, body)
    assert response.status_code == 200 and error in response.data.decode()
    assert _messages(app) == []


@pytest.mark.parametrize(
    "body",
    [
        "y" * MAX_BODY_LENGTH,
        # A browser's maxlength counts each line break once; the form sends it as two.
        "line\r\n" * (MAX_BODY_LENGTH // 5),
    ],
)
def test_a_message_of_the_longest_length_is_sent(app, portal, shop, body):
    sign_in_portal(portal, shop["pat"])
    response = _send(portal, body)
    assert response.status_code == 302
    (message,) = _messages(app)
    assert "\r" not in message.body and len(message.body) <= MAX_BODY_LENGTH


@pytest.mark.parametrize(
    ("work_order", "error"),
    [
        ("theirs", "Choose one of your own visits, or none."),
        ("999999", "Choose one of your own visits, or none."),
        ("abc", "Invalid Choice: could not coerce."),
    ],
)
def test_a_message_is_never_attached_to_another_customers_work_order(
    app, portal, shop, work_order, error
):
    with app.app_context():
        theirs = f.WorkOrderFactory(summary="Someone else's visit").id
    value = str(theirs) if work_order == "theirs" else work_order
    sign_in_portal(portal, shop["pat"])
    page = _send(portal, "About this?", value, tampered=True)
    assert page.status_code == 200 and _messages(app) == []
    text = page.data.decode()
    assert error in text
    assert "Someone else" not in text  # not offered either
    assert shop["work_order_number"] in text


def test_the_portal_offers_only_the_customers_own_work_orders(app, portal, shop):
    with app.app_context():
        other = f.WorkOrderFactory(summary="Other customer's visit").number
    sign_in_portal(portal, shop["pat"])
    page = portal.get(f"/portal/messages?work_order={shop['work_order']}").data.decode()
    assert re.search(rf'<option selected value="{shop["work_order"]}">', page)
    assert shop["work_order_number"] in page and other not in page


def test_the_portal_needs_a_sign_in(client):
    response = client.get("/portal/messages")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def test_the_customer_reads_only_the_office_messages_shown(app, portal, shop):
    with app.app_context():
        for n in range(PAGE_SIZE + 3):
            f.MessageFactory(
                customer=db.session.get(Customer, shop["customer"]),
                direction=MessageDirection.FROM_OFFICE,
                body=f"Office note {n}.",
            )
    sign_in_portal(portal, shop["pat"])
    first = portal.get("/portal/messages").data.decode()
    assert "3 unread messages" in first  # the older page is still unseen
    # The newest page, oldest to newest within it.
    assert _bodies(first) == [f"Office note {n}." for n in range(3, PAGE_SIZE + 3)]
    older = portal.get("/portal/messages?page=2").data.decode()
    assert _bodies(older) == ["Office note 0.", "Office note 1.", "Office note 2."]
    assert not _unread_badge(older)
    links = BeautifulSoup(older, "html.parser").select(".thread-pages a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Newer messages", "/portal/messages?page=1#newest")
    ]


def _bodies(page: str) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(page, "html.parser").select(".thread .bubble-body")]


def test_the_thread_reads_as_a_conversation_with_the_composer_below(app, portal, shop):
    """Oldest to newest, the office on the left and the customer on the right, the newest
    message (#newest, where the menu and a sent message land) just above the composer."""
    with app.app_context():
        customer = db.session.get(Customer, shop["customer"])
        start = utcnow() - timedelta(hours=5)
        for n, direction in enumerate(
            [MessageDirection.FROM_CUSTOMER, MessageDirection.FROM_OFFICE]
        ):
            f.MessageFactory(
                customer=customer,
                direction=direction,
                body=f"Note {n}.",
                created_at=start + timedelta(hours=n),
            )
    sign_in_portal(portal, shop["pat"])
    page = portal.get("/portal/messages").data.decode()
    assert _bodies(page) == ["Note 0.", "Note 1."]
    soup = BeautifulSoup(page, "html.parser")
    sides = [bubble["class"][1] for bubble in soup.select(".thread > li")]
    assert sides == ["bubble-mine", "bubble-office"]
    assert soup.select_one(".portal-nav a[href='/portal/messages#newest']")
    composer = soup.select_one("form[action='/portal/messages']")
    assert composer.find_previous("li")["id"] == "newest"

    sent = _send(portal, "Thanks, Tuesday works.")
    assert sent.headers["Location"] == "/portal/messages#newest"
    newest = BeautifulSoup(portal.get("/portal/messages").data.decode(), "html.parser").select_one(
        "#newest"
    )
    assert "Thanks, Tuesday works." in newest.get_text() and "bubble-mine" in newest["class"]


HUGE_PAGE = "99999999999999999999"  # larger than any database integer


@pytest.mark.parametrize("page", [HUGE_PAGE, "-1", "two", ""])
def test_any_page_number_in_the_portal_shows_a_page_of_the_thread(app, portal, shop, page):
    with app.app_context():
        f.MessageFactory(customer=db.session.get(Customer, shop["customer"]), body="Hello there.")
    sign_in_portal(portal, shop["pat"])
    response = portal.get(f"/portal/messages?page={page}")
    assert response.status_code == 200 and "Hello there." in response.data.decode()


# The back office


def test_staff_reply_validation_and_foreign_work_orders(app, client, login_as, shop):
    login_as("dispatcher")
    with app.app_context():
        theirs = f.WorkOrderFactory().id
    url = f"/admin/conversations/{shop['customer']}"
    empty = client.post(url, data={"body": "  "})
    assert empty.status_code == 200 and "Write a message before sending it." in empty.data.decode()
    foreign = client.post(url, data={"body": "Hello", "work_order": theirs})
    assert "Choose one of this customer&#39;s work orders, or none." in foreign.data.decode()
    assert _messages(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_message_that_arrives_while_staff_type_stays_unread(app, client, login_as, shop):
    login_as("manager")
    with app.app_context():
        seen = f.MessageFactory(
            customer=db.session.get(Customer, shop["customer"]), body="First"
        ).id
        f.MessageFactory(
            customer=db.session.get(Customer, shop["customer"]), body="Also the furnace"
        )
    client.post(
        f"/admin/conversations/{shop['customer']}", data={"body": "On it.", "seen_up_to": seen}
    )
    first, late, _reply = _messages(app)
    assert first.read_at is not None and late.read_at is None


def test_staff_can_mark_messages_read_without_replying(app, client, login_as, shop):
    login_as("dispatcher")
    with app.app_context():
        f.MessageFactory(customer=db.session.get(Customer, shop["customer"]))
    page = client.get(f"/admin/conversations/{shop['customer']}").data.decode()
    assert "Mark as read without replying" in page
    client.post(f"/admin/conversations/{shop['customer']}/read", data={})
    assert all(m.read_at is not None for m in _messages(app))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("page", [HUGE_PAGE, "-1", "two"])
def test_any_page_number_in_the_back_office_shows_a_page_of_conversations(
    app, client, login_as, shop, page
):
    with app.app_context():
        f.MessageFactory(customer=db.session.get(Customer, shop["customer"]), body="Hello there.")
    login_as("dispatcher")
    for url in ("/admin/conversations/", f"/admin/conversations/{shop['customer']}"):
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 200 and "Hello there." in response.data.decode(), url


def test_the_conversation_page_of_an_unknown_customer_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/conversations/999999").status_code == 404


@pytest.fixture
def technician_customers(app, make_staff):
    """A technician with an open job at one customer, a finished job at another, none at a third."""
    tech = make_staff(StaffRole.TECHNICIAN)
    with app.app_context():
        f.CompanySettingsFactory()
        ids = {}
        for key, status in (
            ("open", WorkOrderStatus.ON_HOLD),
            ("done", WorkOrderStatus.COMPLETED),
            ("none", None),
        ):
            customer = f.CustomerFactory(name=f"Customer {key}")
            f.PortalUserFactory(customer=customer)
            if status:
                f.WorkOrderFactory(property__customer=customer, technician_id=tech, status=status)
            f.MessageFactory(customer=customer, body=f"Question from {key}")
            ids[key] = customer.id
    return tech, ids


def test_a_technician_sees_and_answers_only_customers_of_their_open_work_orders(
    app, client, technician_customers
):
    tech, ids = technician_customers
    sign_in_client(client, StaffUser, tech)
    listing = client.get("/admin/conversations/").data.decode()
    assert "Question from open" in listing
    assert "Question from done" not in listing and "Question from none" not in listing
    dashboard = client.get("/admin/").data.decode()
    assert '<span class="badge badge-danger">1</span>' in dashboard

    assert client.get(f"/admin/conversations/{ids['open']}").status_code == 200
    reply = client.post(f"/admin/conversations/{ids['open']}", data={"body": "Parts ordered."})
    assert reply.status_code == 302
    for key in ("done", "none"):
        url = f"/admin/conversations/{ids[key]}"
        assert client.get(url).status_code == 404
        assert client.post(url, data={"body": "Sneaky"}).status_code == 404
        assert client.post(f"{url}/read").status_code == 404
    replies = _messages(app, direction=MessageDirection.FROM_OFFICE)
    assert [m.customer_id for m in replies] == [ids["open"]]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_the_office_sees_every_conversation(app, client, login_as, technician_customers):
    login_as("dispatcher")
    listing = client.get("/admin/conversations/").data.decode()
    assert all(f"Question from {key}" in listing for key in ("open", "done", "none"))
    assert '<span class="badge badge-danger">3</span>' in client.get("/admin/").data.decode()


def test_the_old_message_list_stays_office_only(client, login_as):
    login_as("technician")
    assert client.get("/admin/message/").status_code == 403


# Query counts


def _conversations(app, n: int, customer_id: int | None = None) -> None:
    """n customers (or n more messages for one) with messages both ways, authors and a visit."""
    with app.app_context():
        staff = f.StaffUserFactory(role=StaffRole.DISPATCHER)
        for _ in range(n):
            if customer_id is None:
                customer = f.CustomerFactory()
            else:
                customer = db.session.get(Customer, customer_id)
            author = f.PortalUserFactory(customer=customer)
            work_order = f.WorkOrderFactory(property__customer=customer)
            f.MessageFactory(customer=customer, portal_author=author, work_order=work_order)
            f.MessageFactory(
                customer=customer,
                direction=MessageDirection.FROM_OFFICE,
                staff_author=staff,
                read_at=utcnow(),
            )


def _same_queries(app, client, url: str, add_more) -> None:
    client.get(url)  # warm caches (company settings, etc.)
    with counting_queries(app) as few:
        assert client.get(url).status_code == 200
    add_more()
    with counting_queries(app) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), many


def test_the_conversations_list_queries_do_not_grow_with_the_data(app, client, login_as):
    login_as("admin")
    _conversations(app, 2)
    _same_queries(app, client, "/admin/conversations/", lambda: _conversations(app, 6))


def test_the_staff_thread_queries_do_not_grow_with_the_data(app, client, login_as, shop):
    login_as("admin")
    _conversations(app, 2, shop["customer"])
    url = f"/admin/conversations/{shop['customer']}"
    _same_queries(app, client, url, lambda: _conversations(app, 6, shop["customer"]))


def test_the_portal_thread_queries_do_not_grow_with_the_data(app, portal, shop):
    sign_in_portal(portal, shop["pat"])
    _conversations(app, 2, shop["customer"])
    _same_queries(app, portal, "/portal/messages", lambda: _conversations(app, 6, shop["customer"]))
