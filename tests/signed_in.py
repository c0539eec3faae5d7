"""Put a test client's session in the signed-in state the sign-in pages would leave it in,
with a real sign-in row behind it (the loader refuses a session without one)."""

import time

from sqlalchemy import select

from app.auth.sessions import SEEN_KEY, SIGN_IN_KEY
from app.extensions import db
from app.models import PortalUser, SignIn, StaffUser
from app.services.sign_ins import start_sign_in


def sign_in_client(
    client, model: type[StaffUser] | type[PortalUser], user_id: int, **transaction
) -> int:
    """Sign `client` in as the staff or portal user `user_id` (`transaction`: arguments for the
    session transaction, such as an https `base_url`); returns the sign-in row's id."""
    with client.application.app_context():
        user = db.session.get(model, user_id)
        started = start_sign_in(user)
        # Read before the commit expires them: afterwards each would be loaded again.
        user_key, sign_in_id = user.get_id(), started.sign_in.id
        db.session.commit()
    with client.session_transaction(**transaction) as session:
        session.update(
            {
                "_user_id": user_key,
                "_fresh": True,
                SIGN_IN_KEY: started.session_token,
                SEEN_KEY: int(time.time()),
            }
        )
    return sign_in_id


def sign_in_by_key(client, user_key: str, **transaction) -> int:
    """Sign `client` in by Flask-Login's user key (`staff:3`, `portal:7`); returns the sign-in
    row's id."""
    kind, user_id = user_key.split(":")
    model = {"staff": StaffUser, "portal": PortalUser}[kind]
    return sign_in_client(client, model, int(user_id), **transaction)


class KeptSignIn:
    """One sign-in whose session cookie is put on a test client before each request, instead of
    a sign-in per request; `user_key` None is an anonymous visitor (no session cookie). Once a
    request has ended the sign-in (signing out everywhere, say), the next request signs in anew.
    """

    def __init__(self, app, user_key: str | None):
        self.app, self.user_key = app, user_key
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.sign_in_id: int | None = None
        self.cookie = ""
        with app.app_context():
            self.engine = db.engine

    def put_on(self, client) -> None:
        """`client` in this sign-in's session (or in none, for an anonymous visitor)."""
        client.delete_cookie(self.cookie_name)
        if not self.user_key:
            return
        if self.sign_in_id is None or not self._still_open():
            self.sign_in_id = sign_in_by_key(client, self.user_key)
            self.cookie = client.get_cookie(self.cookie_name).value
        client.set_cookie(self.cookie_name, self.cookie)

    def _still_open(self) -> bool:
        """Asked before every request, so on a plain connection: an app context and an ORM
        session for it cost several times the query."""
        ended_at = select(SignIn.ended_at).where(SignIn.id == self.sign_in_id)
        with self.engine.connect() as connection:
            return connection.scalar(ended_at) is None
