"""Nothing half-written, nothing orphaned: a request that fails after it stored files (photos,
documents, a logo, a drawn signature) leaves no file and no record behind, and one whose
storage cannot be written says so and commits nothing.

Every path is sent as the browser sends its form. The failure is the database refusing the
final commit (the last thing that can go wrong, after every file is written); afterwards the
same form is sent again with nothing failing, which shows the path does store files.
"""

import io
import re
from base64 import b64encode

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import CompanySettings, Document, Quote, ServiceRequest, WorkOrderPhoto
from tests import factories as f
from tests.browser_forms import form_on
from tests.helpers import png, wait_for_jobs
from tests.portal_helpers import sign_in_portal
from tests.quote_helpers import drawn_signature, hvac_quote
from tests.signed_in import sign_in_by_key


def stored_files(app) -> int:
    from pathlib import Path

    return sum(1 for path in Path(app.config["STORAGE_DIR"]).rglob("*") if path.is_file())


@pytest.fixture
def records(app, make_staff):
    """A unit with a sticker, a portal customer with a quote, a work order, company settings."""
    with app.app_context():
        f.CompanySettingsFactory()
        unit = f.UnitFactory()
        customer = unit.property.customer
        quote = hvac_quote(unit.property)
        return {
            "token": unit.qr_token,
            "unit": unit.id,
            "portal_user": f.PortalUserFactory(customer=customer).id,
            "quote": quote.id,
            "work_order": f.WorkOrderFactory(property=unit.property, unit=unit).id,
            "customer": customer.id,
            "admin": make_staff("admin"),
        }


def _sticker(client, ids):
    form = form_on(client.get(f"/u/{ids['token']}"))
    form["description"] = "The unit is blowing warm air."
    form["contact_name"] = "Sam Doe"
    form["contact_phone"] = "555-0100"
    return form, ("photos", 2)


def _portal_request(client, ids):
    sign_in_portal(client, ids["portal_user"])
    form = form_on(client.get("/portal/requests/new"), "form.request-form")
    form["target"] = f"unit-{ids['unit']}"
    form["description"] = "Water under the furnace."
    form["contact_email"] = "ana@example.com"
    return form, ("photos", 2)


def _quote_signature(client, ids):
    sign_in_portal(client, ids["portal_user"])
    form = form_on(client.get(f"/portal/quotes/{ids['quote']}"), "#approve-form")
    form["signer_name"] = "Ana Rivera"
    form.check("consent", "yes")
    form["signature"] = "data:image/png;base64," + b64encode(drawn_signature()).decode()
    return form, None


def _as_admin(client, ids):
    sign_in_by_key(client, f"staff:{ids['admin']}")


def _work_order_photo(client, ids):
    _as_admin(client, ids)
    form = form_on(client.get("/admin/workorderphoto/new/"), "form.admin-form")
    form["work_order"] = str(ids["work_order"])
    form["caption"] = "Coil before cleaning"
    return form, ("upload", 1)


def _document(client, ids):
    _as_admin(client, ids)
    form = form_on(client.get("/admin/document/new/"), "form.admin-form")
    form["customer"] = str(ids["customer"])
    form["title"] = "Warranty card"
    form["kind"] = next(option for option in form.options["kind"] if option)
    return form, ("upload", 1)


def _logo(client, ids):
    _as_admin(client, ids)
    listing = client.get("/admin/companysettings/").get_data(as_text=True)
    edit = re.search(r'href="(/admin/companysettings/edit/\?id=\d+[^"]*)"', listing).group(1)
    form = form_on(client.get(edit.replace("&amp;", "&")), "form.admin-form")
    form["email"] = "office@example.com"
    return form, ("logo", 1)


def _kept(app) -> tuple:
    """What a successful submission of any of the paths leaves in the database."""
    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return (
            count(ServiceRequest),
            count(WorkOrderPhoto),
            count(Document),
            db.session.scalar(select(CompanySettings.logo_key)),
            db.session.scalar(select(Quote.status)),
        )


PATHS = {
    "sticker photos": _sticker,
    "portal request photos": _portal_request,
    "drawn quote signature": _quote_signature,
    "work order photo": _work_order_photo,
    "document upload": _document,
    "company logo": _logo,
}


def _filled(client, ids, path):
    form, files = PATHS[path](client, ids)
    if files:
        name, count = files
        for n in range(count):
            form.fields.append((name, (io.BytesIO(png((64, 48), (n * 90, 40, 40))), f"p{n}.png")))
        form.fields = [(k, v) for k, v in form.fields if not (isinstance(v, tuple) and not v[1])]
    return form


def _database_refuses_commits(monkeypatch):
    def refuse(session):
        raise OperationalError("COMMIT", None, ConnectionError("the database went away"))

    monkeypatch.setattr(Session, "commit", refuse)


@pytest.mark.parametrize("path", PATHS)
def test_a_request_that_fails_after_storing_files_leaves_none(
    app, client, records, monkeypatch, path
):
    before, kept = stored_files(app), _kept(app)
    form = _filled(client, records, path)
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
        _database_refuses_commits(patch)
        response = form.submit(client)
    assert response.status_code in (200, 500), response.status_code
    assert stored_files(app) == before
    assert _kept(app) == kept

    response = _filled(client, records, path).submit(client)  # nothing failing: files kept
    assert response.status_code == 302
    assert stored_files(app) > before
    assert _kept(app) != kept
    wait_for_jobs(app)  # the signed quote's PDF


def test_a_refused_second_photo_removes_the_first(app, client, records):
    before = stored_files(app)
    form, _ = _sticker(client, records)
    form.fields = [(k, v) for k, v in form.fields if k != "photos"]
    form.fields += [
        ("photos", (io.BytesIO(png((64, 48), (200, 40, 40))), "ok.png")),
        ("photos", (io.BytesIO(b"not a picture"), "bad.png")),
    ]
    response = form.submit(client)
    assert response.status_code == 200
    assert "not a picture we can read" in response.get_data(as_text=True)
    assert stored_files(app) == before
    assert _kept(app)[0] == 0


@pytest.mark.parametrize("path", PATHS)
def test_storage_that_cannot_be_written_gives_a_clear_error_and_commits_nothing(
    app, client, records, monkeypatch, tmp_path, path
):
    """The storage folder is a plain file (as when a volume is missing or mounted wrong): the
    operating system refuses every write, root or not. Put right, the same form works."""
    kept = _kept(app)
    blocked = tmp_path / "files"
    blocked.write_text("not a folder")
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "STORAGE_DIR", str(blocked / "storage"))
        response = _filled(client, records, path).submit(client)
    assert response.status_code == 200
    assert "could not store that file just now" in response.get_data(as_text=True)
    assert _kept(app) == kept
    response = _filled(client, records, path).submit(client)
    assert response.status_code == 302
    assert _kept(app) != kept
    wait_for_jobs(app)
