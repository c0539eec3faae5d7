"""The list conventions every admin record view keeps: search, filters, newest first, pages,
and AJAX look-ups (never a select of every row) for relations on its forms."""

import pytest
from flask_admin.contrib.sqla.fields import QuerySelectField, QuerySelectMultipleField

from app.extensions import db
from app.models import Job
from app.models.enums import JobStatus
from tests import factories as f
from tests.helpers import CUSTOM_PAGES, EXPECTED_ACCESS, model_views

MODEL_VIEWS = sorted(set(EXPECTED_ACCESS) - CUSTOM_PAGES)

# The company's settings are one row: nothing to search, filter or sort.
SINGLE_ROW = {"companysettings"}
# Newest first by when the thing happened, which is not when the row was written.
NEWEST_BY = {
    "auditevent": "occurred_at",
    "refrigerantevent": "occurred_at",
    "chargerevision": "effective_on",
    "repairepisode": "discovered_on",
    "stripeevent": "received_at",
    "timeoff": "starts_at",
}
# Obligations list the open ones first, the earliest due (so the overdue ones) at the top;
# working hours read as a week, in the table's order.
OWN_ORDER = {"complianceobligation", "workinghours"} | SINGLE_ROW


def _view(app, endpoint):
    [view] = [view for view in model_views(app) if view.endpoint == endpoint]
    return view


@pytest.mark.parametrize("endpoint", MODEL_VIEWS)
def test_every_list_searches_filters_sorts_newest_first_and_pages(app, endpoint):
    view = _view(app, endpoint)
    if endpoint not in SINGLE_ROW:
        assert view.column_searchable_list, "no search"
        assert view.column_filters, "no filters"
    if endpoint in OWN_ORDER:
        assert view.column_default_sort is None
    else:
        assert view.column_default_sort == (NEWEST_BY.get(endpoint, "created_at"), True)
    assert 0 < view.page_size <= 100


def _relation_selects(form) -> list[str]:
    return [
        field.name
        for field in form
        if isinstance(field, QuerySelectField | QuerySelectMultipleField)
    ]


@pytest.mark.parametrize("endpoint", MODEL_VIEWS)
def test_relations_on_forms_are_ajax_look_ups_never_a_select_of_every_row(app, endpoint):
    view = _view(app, endpoint)
    with app.test_request_context():
        forms = [
            form_class()
            for allowed, form_class in (
                (view.allow_create, view._create_form_class),
                (view.allow_edit, view._edit_form_class),
            )
            if allowed
        ]
        for form in forms:
            assert _relation_selects(form) == []


def test_the_invoice_list_shows_what_is_still_owed(app, client, login_as):
    login_as("manager")
    with app.app_context():
        invoice = f.InvoiceFactory(total_cents=10825)
        f.PaymentFactory(invoice=invoice, amount_cents=5000)
        invoice.amount_paid_cents = 5000
        db.session.commit()
    page = client.get("/admin/invoice/").text
    assert "Balance" in page and "$58.25" in page


def test_jobs_are_found_by_kind_and_message(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        for kind, message in (("compliance_report", "Greeting Bob"), ("sticker_sheet", "Drawn")):
            db.session.add(Job(kind=kind, params={}, status=JobStatus.FAILED, message=message))
        db.session.commit()
    by_message = client.get("/admin/job/", query_string={"search": "greeting bob"}).text
    assert "Greeting Bob" in by_message and "Drawn" not in by_message
    by_kind = client.get("/admin/job/", query_string={"search": "sticker_sheet"}).text
    assert "Drawn" in by_kind and "Greeting Bob" not in by_kind
