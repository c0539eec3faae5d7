"""Documents in the portal: only the customer's visible ones, filtered, downloaded via the scope."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Unit
from app.models.enums import DocumentKind
from app.queries import paging
from app.storage import save_bytes
from tests import factories as f
from tests.helpers import png
from tests.portal_helpers import sign_in_portal
from tests.query_count import counting_queries

PDF = b"%PDF-1.4\n% a small test document\n"


def _document(days_ago: int = 0, *, data: bytes = PDF, content_type="application/pdf", **fields):
    suffix = ".png" if content_type == "image/png" else ".pdf"
    stored = save_bytes(
        data, folder="documents", suffix=suffix, filename=f"file{suffix}", content_type=content_type
    )
    return f.DocumentFactory(
        storage_key=stored.key,
        filename=stored.filename,
        content_type=content_type,
        size_bytes=stored.size_bytes,
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
        **fields,
    )


@pytest.fixture
def library(app):
    """A customer with two properties, a unit in each and documents of several kinds."""
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory()
        house = f.PropertyFactory(customer=customer, name="House")
        shop = f.PropertyFactory(customer=customer, name="Shop")
        furnace = f.UnitFactory(property=house, name="Furnace")
        cooler = f.UnitFactory(property=shop, name="Walk-in cooler")
        other = f.UnitFactory(name="Elsewhere")
        docs = {
            "manual": _document(1, customer=customer, unit=furnace, title="Furnace manual"),
            "warranty": _document(
                2,
                customer=customer,
                unit=cooler,
                kind=DocumentKind.WARRANTY,
                title="Cooler warranty",
            ),
            "permit": _document(
                3, customer=customer, property=shop, kind=DocumentKind.PERMIT, title="Shop permit"
            ),
            "photo": _document(
                4,
                customer=customer,
                kind=DocumentKind.PHOTO,
                title="Before photo",
                data=png((20, 20), "green"),
                content_type="image/png",
            ),
            "hidden": _document(
                0, customer=customer, title="Internal pricing sheet", visible_to_customer=False
            ),
            "missing": f.DocumentFactory(customer=customer, title="Lost scan"),
            "theirs": _document(0, customer=other.property.customer, title="Not yours"),
        }
        user = f.PortalUserFactory(customer=customer)
        return {
            "user": user.id,
            "house": house.id,
            "shop": shop.id,
            "furnace": furnace.id,
            "cooler": cooler.id,
            "other_unit": other.id,
            "other_property": other.property_id,
            **{name: doc.id for name, doc in docs.items()},
        }


VISIBLE = ["Lost scan", "Furnace manual", "Cooler warranty", "Shop permit", "Before photo"]


def _titles(client, **query) -> list[str]:
    page = client.get("/portal/documents", query_string=query).data.decode()
    found = [title for title in VISIBLE + ["Internal pricing sheet", "Not yours"] if title in page]
    return sorted(found, key=page.index)


def test_the_list_shows_visible_documents_newest_first(client, library):
    sign_in_portal(client, library["user"])
    assert _titles(client) == VISIBLE


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": "warranty"}, ["Cooler warranty"]),
        ({"property_id": "{shop}"}, ["Cooler warranty", "Shop permit"]),
        ({"property_id": "{house}"}, ["Furnace manual"]),
        ({"unit_id": "{cooler}"}, ["Cooler warranty"]),
        ({"kind": "permit", "property_id": "{house}"}, []),
    ],
)
def test_the_list_filters_by_kind_property_and_unit(client, library, query, expected):
    sign_in_portal(client, library["user"])
    assert _titles(client, **{k: v.format(**library) for k, v in query.items()}) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ({"property_id": "{other_property}"}, "We could not find that property on your account."),
        ({"unit_id": "{other_unit}"}, "We could not find that unit on your account."),
        ({"unit_id": "99999999999999999999"}, "We could not find that unit on your account."),
        ({"kind": "secret"}, "We did not recognise that kind of document"),
    ],
)
def test_unusable_filters_say_so_and_show_only_their_documents(client, library, query, message):
    sign_in_portal(client, library["user"])
    response = client.get(
        "/portal/documents", query_string={k: v.format(**library) for k, v in query.items()}
    )
    page = response.data.decode()
    assert response.status_code == 200 and message in page
    assert "Not yours" not in page and "Internal pricing sheet" not in page


def test_the_selects_offer_only_their_own_properties_and_units(client, library):
    sign_in_portal(client, library["user"])
    page = client.get("/portal/documents").data.decode()
    assert f'<option value="{library["cooler"]}"' in page
    assert f'<option value="{library["shop"]}"' in page
    assert "Elsewhere" not in page
    assert f'<option value="{library["other_unit"]}"' not in page


def test_downloads_go_through_the_scope(client, library):
    sign_in_portal(client, library["user"])
    with client.get(f"/portal/documents/{library['manual']}") as pdf:
        assert pdf.status_code == 200 and pdf.data == PDF
        assert pdf.headers["Content-Disposition"].startswith("attachment")
        assert pdf.headers["X-Content-Type-Options"] == "nosniff"
        assert pdf.headers["Cache-Control"] == "no-store"
    with client.get(f"/portal/documents/{library['photo']}") as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/png"
        assert picture.headers["Content-Disposition"].startswith("inline")
    assert client.get(f"/portal/documents/{library['hidden']}").status_code == 404
    assert client.get(f"/portal/documents/{library['theirs']}").status_code == 404
    assert client.get("/portal/documents/99999999999999999999").status_code == 404
    missing = client.get(f"/portal/documents/{library['missing']}")
    assert missing.status_code == 410 and b"This file is not available" in missing.data


def test_signed_out_visitors_cannot_download(client, library):
    response = client.get(f"/portal/documents/{library['manual']}")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def test_the_list_is_paged_and_keeps_its_filters(client, library, monkeypatch):
    monkeypatch.setattr(paging, "PER_PAGE", 2)
    sign_in_portal(client, library["user"])
    assert "Page 1 of 3" in client.get("/portal/documents").data.decode()
    assert _titles(client, page="3") == ["Before photo"]
    monkeypatch.setattr(paging, "PER_PAGE", 1)
    manuals = client.get("/portal/documents?kind=manual").data.decode()
    assert "Page 1 of 2" in manuals
    assert "/portal/documents?page=2&amp;kind=manual" in manuals


def test_the_list_query_count_does_not_grow_with_documents(app, client, library):
    sign_in_portal(client, library["user"])
    client.get("/portal/documents")
    with counting_queries(app) as few:
        client.get("/portal/documents")
    with app.app_context():
        unit = db.session.get(Unit, library["cooler"])
        for n in range(12):
            _document(n, customer=unit.property.customer, unit=unit, title=f"Extra {n}")
    with counting_queries(app) as many:
        page = client.get("/portal/documents").data.decode()
    assert page.count("/portal/documents/") == 17 + 2  # the photo: its thumbnail link and image
    assert len(many) == len(few), many
