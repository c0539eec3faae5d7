"""Every route has a declared audience (app/route_policy.py), and answers as declared.

The table must name every endpoint of the URL map and nothing else; then every route is asked
anonymously, as a portal user and as each staff role, with real records in its arguments, and the
answer must match the table: a staff page sends strangers to the staff sign-in and other roles get
403, a portal page sends everyone but customers to the portal sign-in and another customer's
record is a 404, hidden staff routes are a 404 to everyone not allowed.
"""

import re

import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select

from app.auth.roles import AREAS
from app.extensions import db
from app.models import (
    BlankSticker,
    Document,
    Job,
    OutboxMessage,
    Property,
    ServiceRequest,
    ServiceRequestPhoto,
    Unit,
    WorkOrder,
    WorkOrderPhoto,
)
from app.models.enums import JobStatus, StaffRole, VisitAnswer
from app.models.people import STAFF_PHOTO_FOLDER
from app.route_policy import ADMIN_VIEWS, ROUTES, Audience, policy_for
from app.services.portal_access import invite_portal_user
from app.services.service_requests import hash_status_token
from app.services.visit_links import answer_links
from app.storage import save_bytes
from tests import factories as f
from tests.portal_helpers import RECORDS, customer_with_everything, sign_in_portal
from tests.signed_in import KeptSignIn

ANONYMOUS, CUSTOMER = "anonymous", "portal user"
VISITORS = [ANONYMOUS, CUSTOMER, *(role.value for role in StaffRole)]
STATUS_TOKEN = "status-token-for-the-route-sweep"
# Arguments whose record depends on the route, not only on the argument's name.
ROUTE_RECORDS = {
    "staff_files.request_photo": {"photo_id": ServiceRequestPhoto},
    "staff_files.work_order_photo": {"photo_id": WorkOrderPhoto},
}
STATIC_FILES = {"static": "tuffops.css", "admin.static": "admin/js/helpers.js"}
# Arguments that are not records (Flask-Admin's export format).
PLAIN_VALUES = {"export_type": "csv"}
# Answers, as a person would describe them.
ANSWERED, STAFF_SIGN_IN, PORTAL_SIGN_IN = "answered", "staff sign-in", "portal sign-in"
FORBIDDEN, NOT_FOUND, BAD_REQUEST = "403", "404", "400"


def _endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


@pytest.fixture
def app_with_dev_pages(make_app):
    """The test app plus the development-only pages, so the table must name those too."""
    return make_app(DEV_MAIL_PAGE=True)


def test_every_endpoint_has_a_line_in_the_route_policy(app_with_dev_pages):
    missing = sorted(e for e in _endpoints(app_with_dev_pages) if policy_for(e) is None)
    assert missing == [], f"add these endpoints to app/route_policy.py: {missing}"


def test_the_route_policy_names_no_endpoint_that_does_not_exist(app_with_dev_pages):
    endpoints = _endpoints(app_with_dev_pages)
    views = {endpoint.partition(".")[0] for endpoint in endpoints}
    stale = sorted(set(ROUTES) - endpoints) + sorted(set(ADMIN_VIEWS) - views)
    assert stale == [], f"remove these from app/route_policy.py: {stale}"


def test_a_route_without_a_line_is_not_served(make_app, caplog):
    other = make_app()
    other.add_url_rule("/undeclared", "undeclared", lambda: "secret things")
    response = other.test_client().get("/undeclared")
    assert response.status_code == 404 and b"secret things" not in response.data
    assert "undeclared has no line in app/route_policy.py" in caplog.text


def test_each_admin_view_gates_on_the_area_the_table_names(app):
    (admin,) = app.extensions["admin"]
    gates = {view.endpoint: getattr(view, "area", None) for view in admin._views}
    assert gates == ADMIN_VIEWS


def test_development_pages_do_not_exist_in_production(make_app):
    production = make_app(
        ENV_NAME="production",
        SECRET_KEY="a-long-random-production-secret-for-the-sweep",
        PUBLIC_BASE_URL="https://service.polarbear.test",
        RATELIMIT_STORAGE_URI="memory://",
        DEV_MAIL_PAGE=True,
    )
    dev_only = {e for e, policy in ROUTES.items() if policy.audience == Audience.DEV}
    assert dev_only and not dev_only & _endpoints(production)


def _real_file(stored) -> None:
    saved = save_bytes(
        b"\xff\xd8 sweep",
        folder="sweep",
        suffix=".bin",
        filename="f.bin",
        content_type=stored.content_type,
    )
    stored.storage_key = saved.key


def _build_world() -> dict:
    """Two customers with one of every record, and the tokens, files and jobs routes take."""
    logo = save_bytes(
        b"\x89PNG sweep",
        folder="brand",
        suffix=".png",
        filename="logo.png",
        content_type="image/png",
    )
    f.CompanySettingsFactory(logo_key=logo.key)
    portrait = save_bytes(
        b"\xff\xd8 sweep",
        folder=STAFF_PHOTO_FOLDER,
        suffix=".jpg",
        filename="tess.jpg",
        content_type="image/jpeg",
    )
    f.StaffUserFactory(photo_key=portrait.key)
    mine, theirs = customer_with_everything("Mine"), customer_with_everything("Theirs")
    for model in (Document, WorkOrderPhoto, ServiceRequestPhoto):
        for stored in db.session.scalars(select(model)):
            _real_file(stored)
    request = db.session.get(ServiceRequest, mine[ServiceRequest])
    request.status_token_hash = hash_status_token(STATUS_TOKEN)
    result = save_bytes(
        b"%PDF-1.4 sweep",
        folder="jobs",
        suffix=".pdf",
        filename="r.pdf",
        content_type="application/pdf",
    )
    job = Job(
        kind="sweep",
        status=JobStatus.FINISHED,
        result_key=result.key,
        result_filename="r.pdf",
        extra_files=[{"key": result.key, "filename": "list.pdf"}],
    )
    blank = BlankSticker()
    db.session.add_all([job, blank])
    invite_portal_user(f.PortalUserFactory(email="invited@example.com"), actor=None)
    [visit] = db.session.get(WorkOrder, mine[WorkOrder]).visits
    answer_link = answer_links(visit)[VisitAnswer.CONFIRM]
    db.session.commit()
    invitation = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    unit = db.session.get(Unit, mine[Unit])
    customer_id = db.session.get(Property, mine[Property]).customer_id
    theirs_customer = db.session.get(Property, theirs[Property]).customer_id
    return {
        "mine": {**mine, "customer": customer_id},
        "theirs": {**theirs, "customer": theirs_customer},
        "tokens": {
            "qr.sticker": unit.qr_token,
            "qr.record_refrigerant_work": unit.qr_token,
            "qr.bind": blank.token,
            "qr.bind_new_unit": blank.token,
            "qr.request_status": STATUS_TOKEN,
            "qr.visit_answer": answer_link.rsplit("/", 1)[1],
            "portal.open_link": re.search(r"/portal/link/(\S+)", invitation.text_body).group(1),
        },
        "job_id": job.id,
        "photo": portrait.key.removeprefix(f"{STAFF_PHOTO_FOLDER}/"),
        "label_code": unit.printed_label_code,
    }


def _url(app, rule, world, whose="mine") -> str:
    """The rule's URL with real records (and ?id= for admin record pages)."""
    ids = world[whose]
    values = {}
    for name in rule.arguments:
        model = ROUTE_RECORDS.get(rule.endpoint, {}).get(name) or RECORDS.get(name)
        if name == "token":
            values[name] = world["tokens"][rule.endpoint]
        elif name == "filename":
            values[name] = STATIC_FILES[rule.endpoint]
        elif name == "customer_id":
            values[name] = ids["customer"]
        elif name in PLAIN_VALUES:
            values[name] = PLAIN_VALUES[name]
        elif name == "photo":
            values[name] = world["photo"]
        elif name == "job_id":
            values[name] = world["job_id"]
        elif name == "number":
            values[name] = 1  # the job's first extra file (its packing list)
        else:
            assert model, f"{rule.rule}: say which record `{name}` is in ROUTE_RECORDS"
            values[name] = ids[model]
    return rule.build(values)[1] + _query(app, rule.endpoint, world)


def _query(app, endpoint: str, world) -> str:
    """Query arguments the route needs to do its work: a record for admin record pages, a
    field for AJAX look-ups, a printed code for the sticker look-up."""
    if endpoint == "qr.lookup":
        return f"?code={world['label_code']}"
    view = _admin_view(app, endpoint)
    if endpoint.endswith(".ajax_lookup") and _lookups(view):
        return f"?name={next(iter(_lookups(view)))}&query=Mine"
    if isinstance(view, ModelView) and endpoint.endswith((".edit_view", ".details_view")):
        first = db.session.scalar(select(view.model.id).limit(1))
        return f"?id={first}" if first else ""
    return ""


def _lookups(view) -> dict:
    """A Flask-Admin view's AJAX look-ups (model views' form fields, or a custom page's)."""
    return getattr(view, "_form_ajax_refs", None) or getattr(view, "page_lookups", None) or {}


def _admin_view(app, endpoint: str):
    (admin,) = app.extensions["admin"]
    prefix = endpoint.partition(".")[0]
    return next((view for view in admin._views if view.endpoint == prefix), None)


def _answer(response) -> str:
    """The answer's kind; a gate's redirect to a sign-in page says where to come back to."""
    location = response.headers.get("Location", "")
    gate = response.status_code in (301, 302, 303) and "next=" in location
    if gate and location.startswith("/login"):
        return STAFF_SIGN_IN
    if gate and location.startswith("/portal/login"):
        return PORTAL_SIGN_IN
    return {403: FORBIDDEN, 404: NOT_FOUND, 400: BAD_REQUEST}.get(response.status_code, ANSWERED)


def _expected(policy, visitor: str, *, feature_missing: bool = False) -> set[str]:
    """What the table promises this visitor (for an allowed visitor, Flask-Admin answers 404
    for a feature the view does not have)."""
    staff_role = StaffRole(visitor) if visitor not in (ANONYMOUS, CUSTOMER) else None
    match policy.audience:
        case Audience.PUBLIC | Audience.ASSET | Audience.DEV:
            return {ANSWERED}
        case Audience.SIGNED_IN:
            return {STAFF_SIGN_IN} if visitor == ANONYMOUS else {ANSWERED}
        case Audience.STRIPE:
            return {BAD_REQUEST}
        case Audience.PORTAL:
            return {ANSWERED, BAD_REQUEST} if visitor == CUSTOMER else {PORTAL_SIGN_IN}
    allowed = staff_role is not None and (policy.area is None or staff_role in AREAS[policy.area])
    if allowed:
        return {NOT_FOUND} if feature_missing else {ANSWERED, BAD_REQUEST}
    if policy.hidden:
        return {NOT_FOUND}
    return {FORBIDDEN} if staff_role else {STAFF_SIGN_IN}


def _client_for(visitor: KeptSignIn):
    """A fresh client (no cookie a route set for the last one) in the visitor's session."""
    client = visitor.app.test_client()
    visitor.put_on(client)
    return client


def _user_id(app, visitor: str, world, make_staff) -> str | None:
    if visitor == ANONYMOUS:
        return None
    if visitor == CUSTOMER:
        return f"portal:{world['mine']['user']}"
    staff_id = make_staff(visitor)
    with app.app_context():
        # A technician reaches what is theirs: give them the customer's open work order.
        db.session.get(WorkOrder, world["mine"][WorkOrder]).technician_id = staff_id
        db.session.commit()
    return f"staff:{staff_id}"


def _feature_missing(app, endpoint: str) -> bool:
    """An AJAX end of a Flask-Admin view that has no AJAX look-ups or in-list editing."""
    view = _admin_view(app, endpoint)
    if endpoint.endswith(".ajax_lookup"):
        return not _lookups(view)
    return endpoint.endswith(".ajax_update") and not view.column_editable_list


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_answers_each_visitor_as_the_table_says(app, make_staff, visitor):
    with app.test_request_context():
        world = _build_world()
    signed_in, wrong = KeptSignIn(app, _user_id(app, visitor, world, make_staff)), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        method = "GET" if "GET" in rule.methods else "POST"
        with app.test_request_context():
            url = _url(app, rule, world)
        # Signed in once; again after a route that signs the visitor out.
        with _client_for(signed_in).open(url, method=method) as response:
            answer = _answer(response)
        expected = _expected(
            policy_for(rule.endpoint), visitor, feature_missing=_feature_missing(app, rule.endpoint)
        )
        if answer not in expected:
            wrong.append(f"{method} {url} ({rule.endpoint}): {answer}, expected {expected}")
    assert wrong == [], "\n".join(wrong)


def test_portal_routes_answer_404_for_another_customers_records(app):
    with app.test_request_context():
        world = _build_world()
    client = app.test_client()
    sign_in_portal(client, world["mine"]["user"])
    checked = []
    for rule in app.url_map.iter_rules():
        if policy_for(rule.endpoint).audience != Audience.PORTAL or not rule.arguments:
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        with app.test_request_context():
            url = _url(app, rule, world, whose="theirs")
        with client.open(url, method=method) as response:
            assert response.status_code == 404, url
        checked.append(rule.endpoint)
    assert "portal.invoice" in checked and "portal.document" in checked
