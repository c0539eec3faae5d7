"""Who may open a work order's photo: a technician those of work on any unit (the sticker page
shows the unit's whole history, colleagues' photos included) and of their own work orders;
nobody signed out, and no customer through the staff route."""

import io
import re

import pytest
from PIL import Image

from app.extensions import db
from app.models import PortalUser, StaffUser, WorkOrderPhoto
from app.models.enums import StaffRole, WorkOrderStatus
from app.storage import save_bytes
from tests import factories as f
from tests.signed_in import sign_in_client


def _jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), color).save(out, "JPEG")
    return out.getvalue()


def _photo(work_order, caption: str) -> WorkOrderPhoto:
    stored = save_bytes(
        _jpeg("teal"),
        folder="work-order-photos",
        suffix=".jpg",
        filename=f"{caption}.jpg",
        content_type="image/jpeg",
    )
    photo = WorkOrderPhoto(work_order=work_order, caption=caption, **stored.fields())
    db.session.add(photo)
    return photo


@pytest.fixture
def photos(app):
    """Six photos of a walk-in freezer's history by three technicians, and one of a colleague's
    work order with no unit. Returns ids."""
    with app.app_context():
        f.CompanySettingsFactory()
        me, rosa, luis = (
            f.StaffUserFactory(role=StaffRole.TECHNICIAN, name=name)
            for name in ("Me Myself", "Rosa Regular", "Luis Ortega")
        )
        unit = f.UnitFactory(name="Walk-in freezer")
        on_unit = []
        for tech, count in ((me, 2), (rosa, 2), (luis, 2)):
            work_order = f.WorkOrderFactory(
                property=unit.property,
                unit=unit,
                technician=tech,
                status=WorkOrderStatus.COMPLETED,
            )
            on_unit += [_photo(work_order, f"{tech.name} {n}") for n in range(count)]
        no_unit = _photo(f.WorkOrderFactory(technician=rosa), "Rosa's private job")
        db.session.commit()
        return {
            "me": me.id,
            "token": unit.qr_token,
            "customer": unit.property.customer_id,
            "colleague_on_unit": on_unit[2].id,
            "all_on_unit": [photo.id for photo in on_unit],
            "colleague_no_unit": no_unit.id,
        }


def _url(photo_id: int) -> str:
    return f"/admin/files/work-order-photos/{photo_id}"


def test_a_technician_opens_a_colleagues_photo_of_work_on_a_unit(client, photos):
    sign_in_client(client, StaffUser, photos["me"])
    with client.get(_url(photos["colleague_on_unit"])) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(served.data)).size == (120, 90)


def test_a_colleagues_work_order_without_a_unit_keeps_its_photos(client, photos):
    sign_in_client(client, StaffUser, photos["me"])
    assert client.get(_url(photos["colleague_no_unit"])).status_code == 404


def test_nobody_signed_out_and_no_customer_gets_a_photo(app, client, photos):
    for photo_id in (photos["colleague_on_unit"], photos["colleague_no_unit"]):
        response = client.get(_url(photo_id))
        assert response.status_code == 404 and response.mimetype != "image/jpeg"
    with app.app_context():
        portal_user = f.PortalUserFactory(customer_id=photos["customer"]).id
    sign_in_client(client, PortalUser, portal_user)
    assert client.get(_url(photos["colleague_on_unit"])).status_code == 404


def test_every_photo_on_the_sticker_page_opens_for_the_technician(client, photos):
    sign_in_client(client, StaffUser, photos["me"])
    page = client.get(f"/u/{photos['token']}").text
    sources = re.findall(r'<img src="(/admin/files/work-order-photos/\d+)\?thumb=1"', page)
    assert sorted(sources) == sorted(_url(photo_id) for photo_id in photos["all_on_unit"])
    assert page.count('loading="lazy"') == len(sources)
    for source in sources:
        with client.get(source) as served:
            assert served.status_code == 200, source
        with client.get(f"{source}?thumb=1") as small:
            assert small.status_code == 200 and small.mimetype == "image/jpeg", source
