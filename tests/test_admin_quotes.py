"""Quotes in the back office: "Send to customer", and signed quotes kept as they were signed."""

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Quote
from app.models.enums import QuoteStatus
from app.services.quotes import approve_quote
from tests import factories as f
from tests.quote_helpers import _signed_pdfs_finish, approval, hvac_quote  # noqa: F401


def _quote(app, **fields) -> int:
    with app.app_context():
        f.CompanySettingsFactory()
        quote = hvac_quote(**fields)
        f.PortalUserFactory(customer=quote.customer, email="ana@example.test")
        return quote.id


def test_send_to_customer_marks_drafts_sent_and_emails_the_portal_users(app, client, login_as):
    login_as("dispatcher")
    quote_id = _quote(app, status=QuoteStatus.DRAFT)
    response = client.post(
        "/admin/quote/action/", data={"action": "send", "rowid": [quote_id]}, follow_redirects=True
    )
    assert "sent to 1 people" in response.data.decode()
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        assert quote.status == QuoteStatus.SENT and quote.sent_at is not None
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.to_address == "ana@example.test"
        assert f"/portal/quotes/{quote_id}" in mail.text_body


def test_a_quote_without_lines_is_not_sent_and_says_why(app, client, login_as):
    login_as("manager")
    with app.app_context():
        f.CompanySettingsFactory()
        prop = f.PropertyFactory()
        quote_id = f.QuoteFactory(customer=prop.customer, property=prop).id
    response = client.post(
        "/admin/quote/action/", data={"action": "send", "rowid": [quote_id]}, follow_redirects=True
    )
    assert "Add at least one line" in response.data.decode()
    with app.app_context():
        assert db.session.get(Quote, quote_id).status == QuoteStatus.DRAFT


def _edit_form(quote: Quote, **changes) -> dict:
    form = {
        "customer": quote.customer_id,
        "property": quote.property_id,
        "status": quote.status.value,
        "title": quote.title,
        "notes": quote.notes,
        "valid_until": quote.valid_until.isoformat(),
    }
    for n, line in enumerate(quote.ordered_lines()):
        form |= {
            f"lines-{n}-id": line.id,
            f"lines-{n}-description": line.description,
            f"lines-{n}-kind": line.kind.value,
            f"lines-{n}-quantity": str(line.quantity),
            f"lines-{n}-unit_price_cents": f"{line.unit_price_cents / 100:.2f}",
            f"lines-{n}-position": line.position,
            f"lines-{n}-option_group": line.option_group,
        }
        if line.optional:
            form[f"lines-{n}-optional"] = "y"
    return form | changes


def test_a_sent_quote_can_be_edited_and_its_totals_follow(app, client, login_as):
    login_as("manager")
    quote_id = _quote(app)
    with app.app_context():
        form = _edit_form(db.session.get(Quote, quote_id), **{"lines-0-unit_price_cents": "139.00"})
    assert client.post(f"/admin/quote/edit/?id={quote_id}", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Quote, quote_id).subtotal_cents == 561700 + 8 * 1000


def test_an_approved_quote_is_kept_as_signed(app, client, login_as):
    login_as("admin")
    quote_id = _quote(app)
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        approve_quote(quote, approval(quote), actor=None)
        db.session.commit()
        form = _edit_form(quote, title="Changed after signing", status="sent")
    opened = client.get(f"/admin/quote/edit/?id={quote_id}", follow_redirects=True)
    assert opened.request.path == "/admin/quote/details/"
    assert "was approved or declined by the customer" in opened.data.decode()
    page = client.post(f"/admin/quote/edit/?id={quote_id}", data=form, follow_redirects=True)
    assert "was approved or declined by the customer" in page.data.decode()
    deleted = client.post("/admin/quote/delete/", data={"id": quote_id}, follow_redirects=True)
    assert "was signed by the customer and is kept" in deleted.data.decode()
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        assert quote.title == "Replace the heat pump" and quote.status == QuoteStatus.APPROVED
    details = client.get(f"/admin/quote/details/?id={quote_id}").data.decode()
    assert "SHA-256 of the quote as shown" in details and quote.content_sha256 in details
    assert "WO-000001" in details and "Approved total" in details


def test_the_quote_list_shows_what_an_approved_quote_was_signed_for(app, client, login_as):
    """The customer chose the "best" system: the list shows that total, not the preselected."""
    login_as("manager")
    quote_id = _quote(app)
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        preselected = quote.total_cents
        approve_quote(quote, approval(quote, "Best: variable-speed heat pump"), actor=None)
        db.session.commit()
        approved = quote.approved_total_cents
    assert approved != preselected
    page = client.get("/admin/quote/").data.decode()
    assert f"${approved / 100:,.2f}" in page and f"${preselected / 100:,.2f}" not in page
    details = client.get(f"/admin/quote/details/?id={quote_id}").data.decode()
    assert "Best: variable-speed heat pump" in details and "Chosen" in details
    assert "Subtotal Cents" not in details and "Approved subtotal" in details
