"""The technician's job page: reached from My day, the work order and the sticker; shows the
work order, its unit and the unit's recent work; lines from the price book (its prices, free
lines and typed prices as the company allows), notes; only for the staff it belongs to."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PortalUser, StaffUser, WorkOrder, WorkOrderLine
from app.models.enums import LineKind
from app.services.company import current_company
from tests import factories as f
from tests.browser_forms import form_on, forms_on
from tests.job_helpers import job_url, page_text, technicians_job, unit_token
from tests.signed_in import sign_in_client


def _open(client, job):
    page = client.get(job_url(job))
    assert page.status_code == 200
    return page


def _line_form(client, job):
    return form_on(_open(client, job), "form.job-line-form", url=f"http://localhost{job_url(job)}")


def _lines(app, job) -> list[tuple]:
    with app.app_context():
        lines = db.session.scalars(
            select(WorkOrderLine)
            .where(WorkOrderLine.work_order_id == job.work_order_id)
            .order_by(WorkOrderLine.position)
        )
        return [(x.description, x.kind, x.quantity, x.unit_price_cents) for x in lines]


def test_the_page_shows_the_job_its_unit_and_the_units_earlier_work(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    text = page_text(_open(client, job))
    assert "No heat upstairs" in text and "Attic furnace" in text
    assert "Spring tune-up" in text  # the unit's earlier work order


def test_my_day_the_work_order_and_the_sticker_lead_to_the_job_page(app, client, make_staff):
    tess = make_staff("technician")
    with app.app_context():
        job = technicians_job(tess)
        token = unit_token(job.unit_id)
    sign_in_client(client, StaffUser, tess)
    for where in ("/admin/my-day/", f"/u/{token}"):
        soup = BeautifulSoup(client.get(where).get_data(as_text=True), "html.parser")
        assert soup.select_one(f"a[href='{job_url(job)}']") is not None, where
    office = make_staff("dispatcher")
    sign_in_client(client, StaffUser, office)
    details = client.get(f"/admin/workorder/details/?id={job.work_order_id}")
    soup = BeautifulSoup(details.get_data(as_text=True), "html.parser")
    assert soup.select_one(f"a[href='{job_url(job)}']").get_text(strip=True) == "Open the job page"


def test_a_technician_adds_two_book_lines_at_the_book_price_and_removes_one(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    form = _line_form(client, job)
    assert str(job.retired_id) not in form.options["item"]  # retired items are not offered
    assert "price" not in form  # technicians do not price lines here
    form["item"] = str(job.capacitor_id)
    assert form.submit(client).status_code == 302
    form = _line_form(client, job)
    form["item"] = str(job.gas_id)
    form["quantity"] = "2.5"
    form.tamper("price", "1.00")  # posted anyway: not read
    assert form.submit(client).status_code == 302
    assert _lines(app, job) == [
        ("Dual run capacitor 45/5 µF", LineKind.PART, Decimal("1.00"), 14500),
        ("Refrigerant R-410A, per lb", LineKind.PART, Decimal("2.50"), 9500),
    ]
    removes = forms_on(_open(client, job), url=f"http://localhost{job_url(job)}")
    remove = next(form for form in removes if form.action.endswith("/remove"))
    assert remove.submit(client).status_code == 302
    assert [line[0] for line in _lines(app, job)] == ["Refrigerant R-410A, per lb"]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("add_line") == 2 and actions.count("remove_line") == 1


def test_a_typed_price_of_zero_is_kept_when_technicians_may_price(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me, technicians_may_price=True)
    form = _line_form(client, job)
    assert form["price"] == ""  # blank: the book's price unless one is typed
    form["item"] = str(job.capacitor_id)
    form["price"] = "0.00"
    assert form.submit(client).status_code == 302
    form = _line_form(client, job)
    form["item"] = str(job.gas_id)
    assert form.submit(client).status_code == 302
    assert [line[3] for line in _lines(app, job)] == [0, 9500]


def test_free_lines_only_when_the_company_allows_them(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    form = _line_form(client, job)
    assert form["item"] == ""  # "Not from the price book" comes first
    form["description"] = "Cleared the condensate line"
    form["kind"] = "labor"
    assert form.submit(client).status_code == 302
    assert _lines(app, job) == [("Cleared the condensate line", LineKind.LABOR, Decimal("1"), 0)]

    with app.app_context():
        current_company().free_lines_allowed = False
        db.session.commit()
    form = _line_form(client, job)
    assert "" not in form.options["item"] and "description" not in form
    form.tamper("item", "")
    form.tamper("description", "Something else")
    refused = form.submit(client)
    assert refused.status_code == 400
    assert "Choose every line from the price book." in page_text(refused)
    assert len(_lines(app, job)) == 1


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"quantity": "0"}, "Number must be between"),
        ({"quantity": "lots"}, "Not a valid decimal value."),
        ({"item": "retired"}, "That item is no longer in the price book; choose another."),
        ({"item": "999999999999"}, "That item is no longer in the price book; choose another."),
    ],
)
def test_bad_lines_are_refused_with_a_message_and_what_was_typed_is_kept(
    app, client, login_as, posted, message
):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    form = _line_form(client, job)
    form["item"] = str(job.gas_id)
    for name, value in posted.items():
        form.tamper(name, str(job.retired_id) if value == "retired" else value)
    refused = form.submit(client)
    assert refused.status_code == 400
    assert message in page_text(refused)
    again = form_on(refused, "form.job-line-form", url=f"http://localhost{job_url(job)}")
    assert again["quantity"] == posted.get("quantity", "1.00")
    assert _lines(app, job) == []


def test_notes_for_the_office_or_the_customer(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        job = technicians_job(me)
    url = f"http://localhost{job_url(job)}"
    form = form_on(_open(client, job), "form.job-note-form", url=url)
    form["body"] = "Filter was clogged; replaced."
    form.check("visible_to_customer", "y")
    assert form.submit(client).status_code == 302
    form = form_on(_open(client, job), "form.job-note-form", url=url)
    form["body"] = "   "
    assert form.submit(client).status_code == 400
    with app.app_context():
        notes = db.session.get(WorkOrder, job.work_order_id).notes
        assert [(n.body, n.visible_to_customer, n.author_id) for n in notes] == [
            ("Filter was clogged; replaced.", True, me)
        ]
    assert "the customer sees it" in page_text(_open(client, job))


def test_another_technicians_job_is_not_found_and_portal_users_never_reach_it(
    app, client, make_staff
):
    tess, omar = make_staff("technician"), make_staff("technician")
    with app.app_context():
        job = technicians_job(tess)
        customer_id = db.session.get(WorkOrder, job.work_order_id).customer_id
        portal_user = f.PortalUserFactory(customer_id=customer_id).id
        db.session.commit()
    sign_in_client(client, StaffUser, omar)
    assert client.get(job_url(job)).status_code == 404
    assert client.post(f"{job_url(job)}/notes", data={"body": "x"}).status_code in (400, 404)
    assert client.get("/admin/job-page/99999999999999999999").status_code == 404
    sign_in_client(client, PortalUser, portal_user)
    answer = client.get(job_url(job))
    assert answer.status_code == 302  # to the staff sign-in
    assert answer.headers["Location"].startswith("/login")
    office = make_staff("manager")
    sign_in_client(client, StaffUser, office)
    assert client.get(job_url(job)).status_code == 200
