"""Technicians work on their own jobs; look-ups and files follow the same rules as lists."""

import io
import json
from decimal import Decimal

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Document,
    StaffUser,
    WorkOrder,
    WorkOrderLine,
    WorkOrderNote,
    WorkOrderPhoto,
)
from app.models.enums import LineKind, StaffRole
from tests.browser_forms import form_on
from tests.factories import CustomerFactory, StaffUserFactory, WorkOrderFactory


def _work_orders(app, mine_id, other_id):
    with app.app_context():
        mine = WorkOrderFactory(summary="Mine: replace igniter", technician_id=mine_id)
        theirs = WorkOrderFactory(summary="Theirs: clean coils", technician_id=other_id)
        return mine.id, theirs.id


def test_technicians_list_and_open_only_their_own_work_orders(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        other = StaffUserFactory(role=StaffRole.TECHNICIAN).id
    mine, theirs = _work_orders(app, me, other)

    listing = client.get("/admin/workorder/").data.decode()
    assert "Mine: replace igniter" in listing and "Theirs: clean coils" not in listing
    assert client.get(f"/admin/workorder/edit/?id={mine}").status_code == 200
    assert client.get(f"/admin/workorder/edit/?id={theirs}").status_code == 302
    assert client.get(f"/admin/workorder/details/?id={theirs}").status_code == 302


def test_technicians_cannot_change_or_delete_other_work_orders(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        other = StaffUserFactory(role=StaffRole.TECHNICIAN).id
    mine, theirs = _work_orders(app, me, other)

    client.post(f"/admin/workorder/edit/?id={theirs}", data={"summary": "hijacked"})
    client.post("/admin/workorder/delete/", data={"id": mine})
    with app.app_context():
        assert db.session.get(WorkOrder, theirs).summary == "Theirs: clean coils"
        assert db.session.get(WorkOrder, mine) is not None


def test_a_technician_cannot_hand_their_work_order_to_someone_else(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        other = StaffUserFactory(role=StaffRole.TECHNICIAN).id
        work_order = WorkOrderFactory(technician_id=me)
        wo_id, property_id = work_order.id, work_order.property_id
    response = client.post(
        f"/admin/workorder/edit/?id={wo_id}",
        data={
            "property": property_id,
            "technician": other,
            "summary": "x",
            "status": "new",
            "priority": "normal",
        },
        follow_redirects=True,
    )
    assert b"assigned to yourself" in response.data
    with app.app_context():
        assert db.session.get(WorkOrder, wo_id).technician_id == me


def test_technicians_add_notes_only_to_their_own_work_orders(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        other = StaffUserFactory(role=StaffRole.TECHNICIAN).id
    mine, theirs = _work_orders(app, me, other)
    client.post("/admin/workordernote/new/", data={"work_order": mine, "body": "Igniter replaced"})
    client.post("/admin/workordernote/new/", data={"work_order": theirs, "body": "Sneaky"})
    with app.app_context():
        notes = db.session.scalars(select(WorkOrderNote)).all()
        assert [(n.work_order_id, n.body, n.author_id) for n in notes] == [
            (mine, "Igniter replaced", me)
        ]


def _lookup(client, endpoint, field, query=""):
    response = client.get(f"/admin/{endpoint}/ajax/lookup/?name={field}&query={query}")
    return json.loads(response.data)


def test_relation_lookups_search_and_page_instead_of_loading_everyone(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        for n in range(15):
            CustomerFactory(name=f"Acme Cooling {n}")
        CustomerFactory(name="Zenith Dental")
    assert len(_lookup(client, "property", "customer", "Acme")) == 10
    assert [label for _, label in _lookup(client, "property", "customer", "zenith")] == [
        "Zenith Dental"
    ]


def test_technician_lookup_offers_only_technicians(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        StaffUserFactory(name="Tina Tech", role=StaffRole.TECHNICIAN)
        StaffUserFactory(name="Tom Manager", role=StaffRole.MANAGER)
    names = [label for _, label in _lookup(client, "workorder", "technician", "T")]
    assert names == ["Tina Tech"]


def test_technicians_work_order_lookup_is_scoped_to_their_jobs(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        other = StaffUserFactory(role=StaffRole.TECHNICIAN).id
    _work_orders(app, me, other)
    labels = [label for _, label in _lookup(client, "refrigerantevent", "work_order", "")]
    assert len(labels) == 1 and "Mine" in labels[0]


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x8825] = {2: (41.0, 52.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photo_uploads_are_reencoded_and_served_only_to_allowed_staff(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        wo_id = WorkOrderFactory(technician_id=me).id
    response = client.post(
        "/admin/workorderphoto/new/",
        data={
            "work_order": wo_id,
            "caption": "Cracked heat exchanger",
            "upload": (io.BytesIO(_jpeg_with_gps() + b"<script>"), "IMG 1.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        photo = db.session.scalar(select(WorkOrderPhoto))
        photo_id = photo.id
        assert photo.content_type == "image/jpeg" and photo.uploaded_by_id == me
    with client.get(f"/admin/files/work-order-photos/{photo_id}") as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert b"<script>" not in served.data
        assert 0x8825 not in Image.open(io.BytesIO(served.data)).getexif()

    login_as("technician")  # a different technician
    assert client.get(f"/admin/files/work-order-photos/{photo_id}").status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        wo_id = WorkOrderFactory().id
    response = client.post(
        "/admin/workorderphoto/new/",
        data={"work_order": wo_id, "upload": (io.BytesIO(b"MZ\x90\x00 not an image"), "x.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert b"That file is not a picture we can read." in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WorkOrderPhoto)) == 0
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 1


def test_documents_accept_pdfs_and_pictures_and_download_only_for_the_office(app, client, login_as):
    login_as("dispatcher")
    with app.app_context():
        customer_id = CustomerFactory().id
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    saved = client.post(
        "/admin/document/new/",
        data={
            "title": "Warranty card",
            "kind": "warranty",
            "customer": customer_id,
            "visible_to_customer": "y",
            "upload": (io.BytesIO(pdf), "card.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    refused = client.post(
        "/admin/document/new/",
        data={
            "title": "Script",
            "kind": "other",
            "customer": customer_id,
            "upload": (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "run.pdf"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert b"Please upload a PDF or a picture." in refused.data
    with app.app_context():
        [document] = db.session.scalars(select(Document)).all()
    with client.get(f"/admin/files/documents/{document.id}") as download:
        assert download.data == pdf
        assert "attachment" in download.headers["Content-Disposition"]
        assert download.headers["Cache-Control"] == "no-store"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    login_as("technician")
    assert client.get(f"/admin/files/documents/{document.id}").status_code == 404


def test_technicians_record_lines_but_the_office_prices_them(app, client, login_as):
    me = login_as("technician")
    with app.app_context():
        work_order = WorkOrderFactory(technician_id=me)
        work_order.lines = [
            WorkOrderLine(
                position=1,
                kind=LineKind.LABOR,
                description="Diagnose no cooling",
                quantity=Decimal("1"),
                unit_price_cents=12900,
            )
        ]
        db.session.commit()
        wo_id = work_order.id
    edit = f"/admin/workorder/edit/?id={wo_id}"

    opened = client.get(edit)
    page = opened.get_data(as_text=True)
    assert "Diagnose no cooling" in page and "unit_price_cents" not in page
    assert "Unit price" not in page
    form = form_on(opened, "form.admin-form")
    prices_typed_by_hand = {
        "lines-0-unit_price_cents": "1.00",
        "lines-1-position": "2",
        "lines-1-kind": "part",
        "lines-1-description": "Capacitor 45/5 MFD",
        "lines-1-quantity": "1",
        "lines-1-unit_price_cents": "999.00",
    }
    for name, value in prices_typed_by_hand.items():
        form.tamper(name, value)
    assert form.submit(client).status_code == 302

    with app.app_context():
        lines = db.session.scalars(
            select(WorkOrderLine).where(WorkOrderLine.work_order_id == wo_id).order_by("position")
        ).all()
        assert [(line.description, line.unit_price_cents) for line in lines] == [
            ("Diagnose no cooling", 12900),
            ("Capacitor 45/5 MFD", 0),
        ]

    login_as("dispatcher")
    office_page = client.get(edit).get_data(as_text=True)
    assert 'name="lines-0-unit_price_cents"' in office_page and "Unit price ($)" in office_page
