"""Customers only ever reach their own records: a sweep over every portal route.

Two sweeps, both built from the app itself so that new routes are covered without anyone
remembering to add them:

- every route with a record id in its path, asked for another customer's record, is a 404
  (path arguments follow one naming rule, `<record>_id`, listed in RECORDS);
- every GET page, asked with another customer's id in each record-id query argument it
  reads (found by watching which arguments the view reads), shows none of their data.
"""

import io

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import ImmutableMultiDict

from app.models import WorkOrder
from tests import factories as f
from tests.portal_helpers import (
    RECORDS,
    customer_with_everything,
    portal_pages,
    portal_routes_with_ids,
    portal_url,
    sign_in_portal,
)

# Query arguments that name a record (a form's select sends the record's name, not `<x>_id`).
QUERY_RECORDS = {**RECORDS, "work_order": WorkOrder}
# Query arguments the portal reads that are not record ids; a new argument must go here or
# into QUERY_RECORDS, so nobody adds one without deciding whether it needs the sweep.
# "update" is the quote page's "Update total" button; the lines it sends are checked against that
# quote, which the scope already limits to the customer.
NOT_RECORD_IDS = {
    "page",
    "q",
    "kind",
    "status",
    "from",
    "to",
    "next",
    "thumb",
    "signed_out",
    "update",
}

# In every name and text of the other customer's records, so a leak shows in any page.
THEIRS = "Zanzibar"


@pytest.fixture
def two_customers(app):
    with app.app_context():
        f.CompanySettingsFactory()
        return customer_with_everything("Mine"), customer_with_everything(THEIRS)


def test_every_portal_route_answers_404_for_another_customers_records(app, client, two_customers):
    mine, theirs = two_customers
    sign_in_portal(client, mine["user"])
    checked = []
    for rule in portal_routes_with_ids(app.url_map):
        url = portal_url(rule, theirs)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
            checked.append((method, rule.rule))
    assert len({rule for _, rule in checked}) == len(list(portal_routes_with_ids(app.url_map)))


def test_the_same_routes_serve_the_owner(app, client, two_customers):
    """The sweep above is only meaningful if those routes do work for the right customer."""
    mine, _ = two_customers
    sign_in_portal(client, mine["user"])
    for rule in portal_routes_with_ids(app.url_map):
        if "GET" in rule.methods and "photo_id" not in rule.arguments:
            response = client.get(portal_url(rule, mine))
            assert response.status_code != 404, rule.rule


class ArgumentsRead(ImmutableMultiDict):
    """Query arguments that note the name of every argument a view looks up in them."""

    names: set[str] = set()

    def __getitem__(self, key):
        self.names.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        self.names.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.names.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.names.add(key)
        return super().__contains__(key)


def _arguments_read(app, client, url: str, monkeypatch) -> set[str]:
    """The query arguments the view behind `url` looks at (the owner opening it plainly)."""
    names: set[str] = set()
    original = app.request_class.args
    monkeypatch.setattr(ArgumentsRead, "names", names)
    monkeypatch.setattr(
        app.request_class,
        "args",
        property(lambda request: ArgumentsRead(original.__get__(request))),
    )
    response = client.get(url)
    monkeypatch.undo()
    assert response.status_code < 400 or response.status_code == 410, (url, response.status_code)
    return names


def _text(response) -> str:
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def test_no_portal_page_shows_another_customers_records_named_in_its_query(
    app, client, two_customers, monkeypatch
):
    mine, theirs = two_customers
    sign_in_portal(client, mine["user"])
    tried = set()
    for rule in portal_pages(app.url_map):
        url = portal_url(rule, mine)
        names = _arguments_read(app, client, url, monkeypatch)
        unclassified = names - set(QUERY_RECORDS) - NOT_RECORD_IDS
        assert not unclassified, f"{rule.rule} reads {unclassified}: classify them in this test"
        for name in sorted(names & set(QUERY_RECORDS)):
            response = client.get(url, query_string={name: theirs[QUERY_RECORDS[name]]})
            page = _text(response)
            assert THEIRS not in page, (url, name)
            if response.status_code != 404 and response.mimetype == "text/html":
                assert "on your account" in page, (url, name)  # and the customer is told
            tried.add(name)
    # The sweep saw the arguments it exists for (if one disappears, this test needs a look).
    assert {"property_id", "unit_id", "work_order"} <= tried, tried
