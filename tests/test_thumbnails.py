"""Photo thumbnails: small JPEGs made once from the original, kept in storage, shown with their
size and lazily on the portal's documents and history and in the back office, and served only
to those who may open the original."""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

import app.thumbnails as thumbnails
from app.extensions import db
from app.models import Document, ServiceRequestPhoto, WorkOrderPhoto
from app.models.enums import DocumentKind, StaffRole, WorkOrderStatus
from app.thumbnails import THUMBNAIL_SIDE
from portal.kept_pages import PAGES
from tests import factories as f
from tests.helpers import pass_keeping_time, stored_photo
from tests.portal_helpers import sign_in_portal


@pytest.fixture
def pictures(app):
    """A customer with a photo document and a photo on a finished work order, and a stranger
    with the same. Returns ids."""
    with app.app_context():
        f.CompanySettingsFactory()
        ids = {}
        for who in ("mine", "theirs"):
            customer = f.CustomerFactory(name=f"{who} customer")
            document = f.DocumentFactory(
                customer=customer, kind=DocumentKind.PHOTO, title="Coil before", **stored_photo()
            )
            work_order = f.WorkOrderFactory(
                property=f.PropertyFactory(customer=customer), status=WorkOrderStatus.COMPLETED
            )
            photo = WorkOrderPhoto(work_order=work_order, caption="New coil", **stored_photo())
            db.session.add(photo)
            request = f.ServiceRequestFactory(unit=f.UnitFactory(property=work_order.property))
            request_photo = ServiceRequestPhoto(request=request, **stored_photo())
            db.session.add(request_photo)
            db.session.flush()
            ids[who] = {
                "user": f.PortalUserFactory(customer=customer).id,
                "document": document.id,
                "customer": customer.id,
                "photo": photo.id,
                "work_order": work_order.id,
                "request_photo": request_photo.id,
                "request": request.id,
                "size": document.size_bytes,
            }
        db.session.commit()
        return ids


def _picture_links(client, url: str) -> list:
    page = client.get(url)
    assert page.status_code == 200, url
    return BeautifulSoup(page.text, "html.parser").select("a.picture-link")


def _decoded(client, src: str) -> tuple[Image.Image, int]:
    with client.get(src) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg", src
        return Image.open(io.BytesIO(served.data)), len(served.data)


def test_a_photo_document_shows_a_real_thumbnail_linking_to_the_photo(client, pictures):
    mine = pictures["mine"]
    sign_in_portal(client, mine["user"])
    (link,) = _picture_links(client, "/portal/documents")
    assert link["href"] == f"/portal/documents/{mine['document']}"
    img = link.img
    assert img["src"] == f"/portal/documents/{mine['document']}?thumb=1"
    assert img["loading"] == "lazy" and img["alt"] == "Coil before"

    small, size = _decoded(client, img["src"])
    assert small.size == (int(img["width"]), int(img["height"])) == (THUMBNAIL_SIDE, 240)
    assert size * 10 < mine["size"]
    with client.get(link["href"]) as full:
        assert Image.open(io.BytesIO(full.data)).size == (1600, 1200)


def test_history_and_request_photos_show_thumbnails_of_their_size(client, pictures):
    mine = pictures["mine"]
    sign_in_portal(client, mine["user"])
    (link,) = _picture_links(client, "/portal/history")
    assert link["href"] == f"/portal/photos/{mine['photo']}"
    assert (link.img["width"], link.img["height"], link.img["loading"]) == ("320", "240", "lazy")
    assert max(_decoded(client, link.img["src"])[0].size) <= THUMBNAIL_SIDE

    (link,) = _picture_links(client, f"/portal/requests/{mine['request']}")
    assert link.img["src"] == f"/portal/request-photos/{mine['request_photo']}?thumb=1"
    assert _decoded(client, link.img["src"])[0].size == (320, 240)


def test_another_customers_thumbnails_are_refused(app, client, pictures):
    sign_in_portal(client, pictures["mine"]["user"])
    theirs = pictures["theirs"]
    for url in (
        f"/portal/documents/{theirs['document']}?thumb=1",
        f"/portal/photos/{theirs['photo']}?thumb=1",
        f"/portal/request-photos/{theirs['request_photo']}?thumb=1",
    ):
        assert client.get(url).status_code == 404, url
    response = app.test_client().get(f"/portal/photos/{theirs['photo']}?thumb=1")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def test_a_thumbnail_is_made_once_and_kept_in_storage(app, client, pictures, monkeypatch):
    made = []
    render = thumbnails._render
    monkeypatch.setattr(thumbnails, "_render", lambda source: made.append(source) or render(source))
    sign_in_portal(client, pictures["mine"]["user"])
    for _ in range(2):
        (link,) = _picture_links(client, "/portal/documents")
        _decoded(client, link.img["src"])
    assert len(made) == 1
    root = Path(app.config["STORAGE_DIR"]).resolve()
    key = made[0].relative_to(root)
    assert (root / thumbnails.THUMBNAIL_FOLDER / f"{key}.jpg").is_file()


def test_a_thumbnail_made_anew_is_measured_anew(app, client, pictures, monkeypatch):
    """The page's width and height follow the stored thumbnail, also when it is replaced (on
    disk, unseen by the database: the page kept for a few seconds is shown until they pass)."""
    sign_in_portal(client, pictures["mine"]["user"])
    (link,) = _picture_links(client, "/portal/documents")
    assert (link.img["width"], link.img["height"]) == ("320", "240")
    with app.app_context():
        key = db.session.get(Document, pictures["mine"]["document"]).storage_key
    path = Path(app.config["STORAGE_DIR"]) / thumbnails.THUMBNAIL_FOLDER / f"{key}.jpg"
    Image.new("RGB", (200, 150), "white").save(path, "JPEG")
    pass_keeping_time(monkeypatch, PAGES)
    (link,) = _picture_links(client, "/portal/documents")
    assert (link.img["width"], link.img["height"]) == ("200", "150")


def test_staff_lists_and_cards_show_thumbnails_only_to_who_may_see_the_photo(
    client, login_as, pictures
):
    login_as(StaffRole.DISPATCHER)
    links = _picture_links(client, "/admin/workorderphoto/")
    assert len(links) == 2
    for link in links:
        assert link.img["src"] == f"{link['href']}?thumb=1" and link.img["loading"] == "lazy"
        assert _decoded(client, link.img["src"])[0].size == (320, 240)
    (on_details,) = _picture_links(
        client, f"/admin/workorder/details/?id={pictures['mine']['work_order']}"
    )
    assert on_details["href"] == f"/admin/files/work-order-photos/{pictures['mine']['photo']}"
    assert (on_details.img["width"], on_details.img["alt"]) == ("320", "New coil")
    mine = pictures["mine"]
    documents = _picture_links(client, "/admin/document/")
    assert f"/admin/files/documents/{mine['document']}" in {link["href"] for link in documents}
    (story,) = _picture_links(client, f"/admin/customer/details/?id={mine['customer']}")
    assert story["href"] == f"/admin/files/documents/{mine['document']}"
    assert story.img["alt"] == "Coil before" and story.img["loading"] == "lazy"
    assert _decoded(client, story.img["src"])[0].size == (320, 240)
    dispatch = _picture_links(client, "/admin/dispatch/")
    assert {link["href"] for link in dispatch} >= {
        f"/admin/files/request-photos/{pictures['mine']['request_photo']}"
    }

    login_as(StaffRole.TECHNICIAN)  # no work orders of their own: no photos, no thumbnails
    for photo in (pictures["mine"]["photo"], pictures["theirs"]["photo"]):
        assert client.get(f"/admin/files/work-order-photos/{photo}?thumb=1").status_code == 404
