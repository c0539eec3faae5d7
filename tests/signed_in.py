"""Put a test client's session in the signed-in state the sign-in pages would leave it in,
with a real sign-in row behind it (the loader refuses a session without one)."""

import time

from app.auth.sessions import SEEN_KEY, SIGN_IN_KEY
from app.extensions import db
from app.models import PortalUser, StaffUser
from app.services.sign_ins import start_sign_in


def sign_in_client(
    client, model: type[StaffUser] | type[PortalUser], user_id: int, **transaction
) -> None:
    """Sign `client` in as the staff or portal user `user_id` (`transaction`: arguments for the
    session transaction, such as an https `base_url`)."""
    with client.application.app_context():
        user = db.session.get(model, user_id)
        started = start_sign_in(user)
        db.session.commit()
        user_key = user.get_id()
    with client.session_transaction(**transaction) as session:
        session.update(
            {
                "_user_id": user_key,
                "_fresh": True,
                SIGN_IN_KEY: started.session_token,
                SEEN_KEY: int(time.time()),
            }
        )


def sign_in_by_key(client, user_key: str, **transaction) -> None:
    """Sign `client` in by Flask-Login's user key (`staff:3`, `portal:7`)."""
    kind, user_id = user_key.split(":")
    model = {"staff": StaffUser, "portal": PortalUser}[kind]
    sign_in_client(client, model, int(user_id), **transaction)
