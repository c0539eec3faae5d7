"""Who each route is for: one line per endpoint of the URL map, read by the security headers and
checked by tests/test_route_policy.py (a route missing here, or a line naming no route, fails it,
and a sweep asks every route as every kind of user).

Flask-Admin views are listed by view, with the area their role gate names (app.auth.roles.AREAS);
every endpoint of a view (list, edit, details, actions, AJAX look-ups) shares it.
"""

from dataclasses import dataclass
from enum import StrEnum

from flask import Flask, abort, current_app, request


class Audience(StrEnum):
    # Anyone, signed in or not (a page may show more to those who are).
    PUBLIC = "public"
    # Public files anyone may cache: the shared look, Flask-Admin's scripts, the company logo.
    ASSET = "asset"
    # Anyone signed in, staff or customer; anonymous visitors go to the staff sign-in.
    SIGNED_IN = "signed_in"
    # A signed-in portal user, for their own customer's records (another customer's: 404);
    # everyone else goes to the portal sign-in.
    PORTAL = "portal"
    # Staff whose role grants `area` (any staff when area is None). Anonymous visitors and portal
    # users go to the staff sign-in, other roles get 403; with `hidden`, all of them get 404.
    STAFF = "staff"
    # Stripe, proving itself with the webhook signature (anyone else: 400).
    STRIPE = "stripe"
    # Development only: the route does not exist in production.
    DEV = "dev"


@dataclass(frozen=True)
class Policy:
    audience: Audience
    # STAFF: the role area (app.auth.roles.AREAS) that opens the route; None is any staff member.
    area: str | None = None
    # STAFF: refused users get a 404, as if the route (or the file) did not exist.
    hidden: bool = False
    # The URL itself is a secret (a sticker, status or sign-in token): never sent as a Referer.
    secret_url: bool = False


PUBLIC = Policy(Audience.PUBLIC)
ASSET = Policy(Audience.ASSET)
PORTAL = Policy(Audience.PORTAL)
SECRET_LINK = Policy(Audience.PUBLIC, secret_url=True)


def staff(area: str | None = None, *, hidden: bool = False) -> Policy:
    return Policy(Audience.STAFF, area=area, hidden=hidden)


ROUTES: dict[str, Policy] = {
    # the core
    "home": PUBLIC,
    "static": ASSET,
    "brand_logo": ASSET,
    "team_photo": ASSET,
    "auth.login": PUBLIC,
    "auth.logout": Policy(Audience.SIGNED_IN),
    "auth.logout_everywhere": staff(),
    "auth.account": staff(),
    "auth.enrol": staff(),
    # half-way through a sign-in: the password was right, the second factor is still to come
    "auth.second_factor": PUBLIC,
    "auth.enrol_at_sign_in": PUBLIC,
    "i18n.switch_language": PUBLIC,
    "webhooks.stripe_webhook": Policy(Audience.STRIPE),
    "dev_mail.index": Policy(Audience.DEV),
    "dev_mail.show": Policy(Audience.DEV),
    "dev_mail.attachment": Policy(Audience.DEV),
    # the sticker: the unit's token is the secret; staff-only actions hide from everyone else
    "qr.sticker": SECRET_LINK,
    "qr.lookup": PUBLIC,
    "qr.request_status": SECRET_LINK,
    "qr.visit_answer": SECRET_LINK,
    "qr.bind": staff(hidden=True),
    "qr.bind_new_unit": staff(hidden=True),
    "qr.record_refrigerant_work": staff(hidden=True),
    # the customer portal
    "portal.login": PUBLIC,
    "portal.open_link": SECRET_LINK,
    "portal.logout": PUBLIC,
    "portal.logout_everywhere": PORTAL,
    "portal.dashboard": PORTAL,
    "portal.history": PORTAL,
    "portal.history_export_csv": PORTAL,
    "portal.history_export_pdf": PORTAL,
    "portal.equipment": PORTAL,
    "portal.unit": PORTAL,
    "portal.compliance": PORTAL,
    "portal.compliance_unit": PORTAL,
    "portal.requests": PORTAL,
    "portal.new_request": PORTAL,
    "portal.request": PORTAL,
    "portal.request_photo": PORTAL,
    "portal.work_order_photo": PORTAL,
    "portal.documents": PORTAL,
    "portal.document": PORTAL,
    "portal.messages": PORTAL,
    "portal.quotes": PORTAL,
    "portal.quote": PORTAL,
    "portal.approve": PORTAL,
    "portal.decline": PORTAL,
    "portal.invoices": PORTAL,
    "portal.invoice": PORTAL,
    "portal.invoice_pdf_download": PORTAL,
    "portal.pay_invoice": PORTAL,
    "portal.invoice_paid": PORTAL,
    "portal.visit_calendar": PORTAL,
    "portal.reschedule_visit": PORTAL,
    "portal.notification_settings": PORTAL,
    # the back office: files behind the same check as their record, 404 to anyone else
    "admin.static": ASSET,
    "staff_files.work_order_photo": staff("work", hidden=True),
    "staff_files.request_photo": staff("requests", hidden=True),
    "staff_files.document": staff("documents", hidden=True),
    "staff_files.job_result": staff("jobs", hidden=True),
    "staff_files.job_extra_file": staff("jobs", hidden=True),
}

# Flask-Admin views by endpoint: the area their role gate asks for (None: any staff member).
ADMIN_VIEWS: dict[str, str | None] = {
    "admin": None,
    "dispatch": "requests",
    "board": "requests",
    "my_day": "my_day",
    "job_page": "work",
    "sign_off": "work",
    "job_close_out": "work",
    "job_findings": "work",
    "conversations": "conversations",
    "stickers": "stickers",
    "compliance_report": "compliance_reports",
    "customer": "records",
    "property": "records",
    "unit": "records",
    "portaluser": "portal_users",
    "message": "messages",
    "document": "documents",
    "servicerequest": "requests",
    "workorder": "work",
    "workordernote": "work",
    "workorderphoto": "work",
    "workinghours": "requests",
    "timeoff": "requests",
    "quote": "billing",
    "invoice": "billing",
    "pricebookitem": "price_book",
    "payment": "billing",
    "checkoutsession": "billing",
    "stripeevent": "billing",
    "refrigerantevent": "refrigerant",
    "chargerevision": "refrigerant",
    "complianceobligation": "compliance",
    "repairepisode": "compliance",
    "staffuser": "staff",
    "companysettings": "settings",
    "job": "jobs",
    "auditevent": "audit",
    "outboxmessage": "audit",
    "blanksticker": "stickers",
}


def policy_for(endpoint: str | None) -> Policy | None:
    """The declared audience of an endpoint; None for one the table does not know."""
    if endpoint is None:
        return None
    if endpoint in ROUTES:
        return ROUTES[endpoint]
    view = endpoint.partition(".")[0]
    if view in ADMIN_VIEWS:
        return staff(ADMIN_VIEWS[view])
    return None


def _refuse_undeclared_route() -> None:
    if request.url_rule is not None and policy_for(request.endpoint) is None:
        current_app.logger.error("%s has no line in app/route_policy.py", request.endpoint)
        abort(404)


def enforce_route_policy(app: Flask) -> None:
    """Deny by default: a route without a line in the table answers 404 until it gets one."""
    app.before_request(_refuse_undeclared_route)
