"""Put a test client's session in the signed-in state the sign-in pages would leave it in,
with a real sign-in row behind it (the loader refuses a session without one)."""

import time

from app.auth.sessions import SEEN_KEY, SIGN_IN_KEY
from app.extensions import db
from app.models import PortalUser, StaffUser
from app.services.sign_ins import start_sign_in


def sign_in_client(client, model: type[StaffUser] | type[PortalUser], user_id: int) -> None:
    """Sign `client` in as the staff or portal user `user_id`."""
    with client.application.app_context():
        user = db.session.get(model, user_id)
        started = start_sign_in(user)
        db.session.commit()
        user_key = user.get_id()
    with client.session_transaction() as session:
        session.update(
            {
                "_user_id": user_key,
                "_fresh": True,
                SIGN_IN_KEY: started.session_token,
                SEEN_KEY: int(time.time()),
            }
        )
