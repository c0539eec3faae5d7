"""The issue's "Done means", end to end: a printed sheet's code scans to a working request page;
the request lands in dispatch with unit, property and customer; one POST makes a work order."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db
from app.models import Job, WorkOrder
from app.models.enums import CustomerKind
from tests import factories as f
from tests.helpers import decode, wait_for


def _form_values(page: str) -> dict[str, str]:
    """What a browser would send from the convert form as the page fills it in."""
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        values[name] = chosen.group(1) if chosen else ""
    return values


def test_a_printed_sticker_scans_to_a_request_that_becomes_a_work_order(
    app, client, login_as, tmp_path
):
    with app.app_context():
        f.CompanySettingsFactory()
        customer = f.CustomerFactory(name="Harbor Bistro", kind=CustomerKind.COMMERCIAL)
        kitchen = f.PropertyFactory(customer=customer, name="Harbor kitchen")
        unit = f.UnitFactory(property=kitchen, name="Walk-in cooler")
        unit_id = unit.id

    login_as("manager")
    chosen = client.post("/admin/unit/action/", data={"action": "print_stickers", "rowid": unit_id})
    client.get(chosen.headers["Location"])
    client.post(
        "/admin/stickers/", data={"unit_ids": str(unit_id), "format": "avery-5160", "start": "1"}
    )
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
    wait_for(app, job_id)
    with client.get(f"/admin/files/jobs/{job_id}") as download:
        pdf = download.data
    [(_, scanned, _, _)] = decode(pdf, tmp_path)

    phone = app.test_client()  # someone in front of the unit, not signed in
    page = phone.get(urlsplit(scanned).path)
    assert page.status_code == 200 and 'name="description"' in page.text
    sent = phone.post(
        urlsplit(scanned).path,
        data={
            "contact_name": "Line Cook",
            "contact_phone": "555 010 7777",
            "description": "Cooler is at 50F",
            "preferred_window": "any",
        },
    )
    assert sent.status_code == 302

    queue = client.get("/admin/dispatch/").text
    for linked in ("Harbor Bistro", "Harbor kitchen", "Walk-in cooler", "Cooler is at 50F"):
        assert linked in queue, linked
    convert_url = re.search(r'href="(/admin/dispatch/\d+/convert)"', queue).group(1)
    converted = client.post(convert_url, data=_form_values(client.get(convert_url).text))
    assert converted.status_code == 302 and "/admin/workorder/details/" in converted.location
    with app.app_context():
        [work_order] = db.session.scalars(select(WorkOrder)).all()
        assert work_order.unit_id == unit_id
        assert (work_order.property.name, work_order.customer.name) == (
            "Harbor kitchen",
            "Harbor Bistro",
        )
        assert work_order.summary == "Cooler is at 50F" and work_order.visits
