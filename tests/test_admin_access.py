"""Who reaches which admin screen, checked over every registered view."""

from pathlib import Path

import pytest
from flask import url_for

from app import models
from app.auth.roles import AREAS
from app.models.enums import StaffRole
from tests.factories import PortalUserFactory
from tests.helpers import (
    ACTION_ENDPOINTS,
    CUSTOM_PAGES,
    EXPECTED_ACCESS,
    WORK_ORDER_PAGES,
    model_views,
    staff_views,
)
from tests.signed_in import sign_in_client


def _endpoints(app):
    return [view.endpoint for view in staff_views(app)]


def _url(app, endpoint, action="index_view"):
    if endpoint in CUSTOM_PAGES and action == "index_view":
        action = "index"
    with app.test_request_context():
        return url_for(f"{endpoint}.{action}")


def test_managers_and_dispatchers_have_what_admins_have_but_staff_and_settings():
    """Manager: everything but staff accounts; dispatcher: also not the company settings."""
    for area, grants in AREAS.items():
        admin = grants.get(StaffRole.ADMIN)
        assert grants.get(StaffRole.MANAGER) == (None if area == "staff" else admin), area
        refused = area in ("staff", "settings")
        assert grants.get(StaffRole.DISPATCHER) == (None if refused else admin), area


def test_only_the_office_prices_work_order_lines_as_the_readme_says():
    """Technicians record the work on their work orders; the office sets what it costs."""
    pricing = {role.value for role, grant in AREAS["pricing"].items() if grant}
    assert pricing == {"admin", "manager", "dispatcher"}
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    (technician_row,) = [row for row in readme.splitlines() if row.startswith("| technician |")]
    assert "record their lines, without prices (the office prices the work)" in technician_row


def test_every_record_has_an_admin_view(app):
    assert set(_endpoints(app)) == set(EXPECTED_ACCESS) | set(WORK_ORDER_PAGES) | ACTION_ENDPOINTS
    # Counters, parts shown inside their parent's screens, and sign-in credentials.
    shown_elsewhere = {
        "NumberSequence",
        "RepeatReport",
        "ServiceRequestPhoto",
        "PortalLink",
        "SignIn",
        "LoginThrottle",
        "RecoveryCode",
        "OutboxAttachment",
        "Visit",  # on the dispatch board
        "VisitStatusChange",
        "VisitAnswerLink",  # a customer's answer shows on the board and the dashboard
        "VisitReminder",  # the record of reminders sent
        "JobPageSend",  # a phone's send keys, so a resent note, line or photo is saved once
        "WorkOrderSignOff",  # on the job page, the sign-off screen and the dashboard
        "AppointmentEmailOptOut",  # the customer's own choice, in the portal's e-mail settings
    } | {name for name in models.__all__ if name.endswith("Line")}
    with_views = {view.model.__name__ for view in model_views(app)}
    assert set(models.__all__) - shown_elsewhere == with_views


@pytest.mark.parametrize("role", [r.value for r in StaffRole])
def test_each_role_reaches_exactly_its_views(app, client, login_as, role):
    login_as(role)
    for endpoint, allowed in EXPECTED_ACCESS.items():
        response = client.get(_url(app, endpoint))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, endpoint, response.status_code)


def test_every_list_and_create_form_opens_for_an_admin(app, client, login_as):
    login_as("admin")
    for view in model_views(app):
        assert client.get(_url(app, view.endpoint)).status_code == 200, view.endpoint
        if view.allow_create:
            response = client.get(_url(app, view.endpoint, "create_view"))
            assert response.status_code == 200, view.endpoint
            assert b"<form" in response.data


def test_anonymous_visitors_are_sent_to_sign_in_everywhere_in_admin(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.arguments - {"id"}:
            continue
        response = client.get(rule.rule)
        assert response.status_code in (302, 404, 405), rule.rule
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], rule.rule


def test_portal_users_never_reach_admin(app, client):
    with app.app_context():
        portal_user_id = PortalUserFactory().id
    sign_in_client(client, models.PortalUser, portal_user_id)
    assert client.get("/admin/").status_code == 302
    for endpoint in EXPECTED_ACCESS:
        assert client.get(_url(app, endpoint)).status_code in (302, 403), endpoint


@pytest.mark.parametrize("endpoint", ["customer", "property", "unit"])
def test_technicians_read_customer_records_but_cannot_change_them(app, client, login_as, endpoint):
    login_as("technician")
    assert client.get(_url(app, endpoint)).status_code == 200
    assert client.get(_url(app, endpoint, "create_view")).status_code == 302
    assert client.post(_url(app, endpoint, "create_view"), data={"name": "x"}).status_code == 302
