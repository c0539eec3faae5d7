"""Signed-in users are loaded with their sign-in in one query, and a sign-in that was ended or
ran out signs the browser out."""

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import PortalUser, SignIn, StaffUser
from app.models.base import utcnow
from tests import factories as f
from tests.query_count import counting_queries
from tests.signed_in import sign_in_client


@pytest.fixture
def portal_user_id(app):
    with app.app_context():
        f.CompanySettingsFactory()
        return f.PortalUserFactory().id


def _user_reads(app, client, url: str) -> list[str]:
    with counting_queries(app) as statements:
        client.get(url)
    return [s for s in statements if "sign_ins" in s or "portal_users" in s or "staff_users" in s]


def test_a_portal_user_and_their_sign_in_are_read_in_one_query(app, client, portal_user_id):
    sign_in_client(client, PortalUser, portal_user_id)
    assert len(_user_reads(app, client, "/")) == 1
    assert client.get("/portal/").status_code == 200


def test_a_staff_member_is_read_with_their_sign_in_in_one_query(app, client, make_staff):
    sign_in_client(client, StaffUser, make_staff("dispatcher"))
    reads = _user_reads(app, client, "/")
    assert len(reads) == 1 and "sign_ins" in reads[0] and "staff_users" in reads[0]


def test_a_stranger_is_not_looked_up_at_all(app, client):
    assert _user_reads(app, client, "/") == []


@pytest.mark.parametrize("how", ["ended", "too old"])
def test_an_ended_or_expired_sign_in_signs_the_browser_out(app, client, portal_user_id, how):
    sign_in_client(client, PortalUser, portal_user_id)
    with app.app_context():
        change = (
            {"ended_at": utcnow()}
            if how == "ended"
            else {"started_at": utcnow().replace(year=2000)}
        )
        db.session.execute(update(SignIn).values(**change))
        db.session.commit()
        assert db.session.scalar(select(SignIn.id)) is not None
    assert client.get("/portal/").status_code == 302
