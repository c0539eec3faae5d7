"""Printing stickers and managing sticker codes from the back office."""

from sqlalchemy import select

from app.extensions import db
from app.models import BlankSticker, Job, Unit
from app.models.enums import JobStatus
from tests import factories as f
from tests.helpers import pdf_text, wait_for


def _units(app, n=2):
    with app.app_context():
        prop = f.PropertyFactory()
        return [f.UnitFactory(property=prop).id for _ in range(n)], prop.id


def test_selected_units_print_through_a_background_job(app, client, login_as):
    login_as("manager")
    unit_ids, _ = _units(app)
    chosen = client.post(
        "/admin/unit/action/",
        data={"action": "print_stickers", "rowid": [str(i) for i in unit_ids]},
    )
    sheet_page = chosen.headers["Location"]
    assert "/admin/stickers/" in sheet_page
    assert "2 selected units" in client.get(sheet_page).data.decode()

    response = client.post(
        "/admin/stickers/",
        data={"unit_ids": ",".join(map(str, unit_ids)), "format": "avery-5160", "start": "4"},
    )
    assert response.headers["Location"].endswith("/admin/job/")
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    job = wait_for(app, job_id)
    assert job.status == JobStatus.FINISHED, job.error
    assert job.params == {"unit_ids": unit_ids, "format": "avery-5160", "start": 4}
    with client.get(f"/admin/files/jobs/{job_id}") as download:
        assert download.data.startswith(b"%PDF")


def test_a_property_prints_all_its_units(app, client, login_as):
    login_as("dispatcher")
    _, property_id = _units(app, 3)
    chosen = client.post(
        "/admin/property/action/", data={"action": "print_stickers", "rowid": [property_id]}
    )
    page = client.get(chosen.headers["Location"]).data.decode()
    assert "All units at" in page


def test_blank_stickers_are_made_by_the_job(app, client, login_as):
    login_as("manager")
    client.post(
        "/admin/stickers/", data={"blank_count": "5", "format": "square-22805", "start": "1"}
    )
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    with app.app_context():
        assert len(db.session.scalars(select(BlankSticker)).all()) == 5
    assert client.get("/admin/blanksticker/").status_code == 200


def test_a_start_position_beyond_the_sheet_is_a_form_error(app, client, login_as):
    login_as("manager")
    unit_ids, _ = _units(app, 1)
    response = client.post(
        "/admin/stickers/",
        data={"unit_ids": str(unit_ids[0]), "format": "square-22805", "start": "99"},
    )
    assert response.status_code == 200
    assert b"fewer positions" in response.data
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []


def test_reissuing_a_sticker_retires_the_old_code(app, client, login_as):
    login_as("admin")
    [unit_id], _ = _units(app, 1)
    with app.app_context():
        old_token = db.session.get(Unit, unit_id).qr_token
    assert client.get(f"/u/{old_token}").status_code == 200
    client.post("/admin/unit/action/", data={"action": "reissue_sticker", "rowid": [unit_id]})
    with app.app_context():
        new_token = db.session.get(Unit, unit_id).qr_token
    assert new_token != old_token
    assert client.get(f"/u/{old_token}").status_code == 404
    client.post("/admin/unit/action/", data={"action": "revoke_sticker", "rowid": [unit_id]})
    with app.app_context():
        assert db.session.get(Unit, unit_id).qr_token is None
    assert client.get(f"/u/{new_token}").status_code == 404


def test_technicians_cannot_reissue_stickers(app, client, login_as):
    login_as("technician")
    [unit_id], _ = _units(app, 1)
    with app.app_context():
        token = db.session.get(Unit, unit_id).qr_token
    client.post("/admin/unit/action/", data={"action": "reissue_sticker", "rowid": [unit_id]})
    with app.app_context():
        assert db.session.get(Unit, unit_id).qr_token == token


def test_a_bad_selection_in_the_address_is_a_message_not_an_error_page(app, client, login_as):
    login_as("manager")
    for query, message in (
        ("property_id=abc", "That property was not found"),
        ("customer_id=abc", "That customer was not found"),
        ("customer_id=99999999999", "That customer was not found"),
        ("property_id=12345", "That property was not found"),
        ("unit_ids=abc,-3", "Those units were not found"),
    ):
        response = client.get(f"/admin/stickers/?{query}")
        assert response.status_code == 200, query
        assert message in response.text, query
    posted = client.post(
        "/admin/stickers/", data={"property_id": "abc", "format": "avery-5160", "start": "1"}
    )
    assert posted.status_code == 200 and "That property was not found" in posted.text
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []


def test_a_new_unit_records_when_its_sticker_code_was_issued(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        property_id = f.PropertyFactory().id
    client.post(
        "/admin/unit/new/", data={"property": property_id, "name": "Roof", "kind": "chiller"}
    )
    with app.app_context():
        unit = db.session.scalar(select(Unit))
        assert unit.qr_token and unit.qr_token_issued_at is not None
        assert abs(unit.qr_token_issued_at - unit.created_at).total_seconds() < 5


def test_customers_print_the_stickers_of_all_their_units(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        one, other = f.CustomerFactory(name="Harbor Bistro"), f.CustomerFactory()
        codes = {
            owner.id: [
                f.UnitFactory(property=f.PropertyFactory(customer=owner)).printed_label_code
                for _ in range(count)
            ]
            for owner, count in ((one, 2), (other, 1))
        }
        one_id, other_id = one.id, other.id
    single = client.post(
        "/admin/customer/action/", data={"action": "print_stickers", "rowid": [one_id]}
    )
    assert "All units of Harbor Bistro" in client.get(single.headers["Location"]).text
    both = client.post(
        "/admin/customer/action/",
        data={"action": "print_stickers", "rowid": [one_id, other_id]},
    )
    assert "3 selected units" in client.get(both.headers["Location"]).text

    client.post(
        "/admin/stickers/", data={"customer_id": one_id, "format": "avery-5160", "start": "1"}
    )
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    assert wait_for(app, job_id).status == JobStatus.FINISHED
    with client.get(f"/admin/files/jobs/{job_id}") as download:
        text = pdf_text(download.data)
    assert all(code in text for code in codes[one_id])
    assert codes[other_id][0] not in text
