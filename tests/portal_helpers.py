"""Shared helpers for portal tests: sign a test client in as a portal user."""


def sign_in_portal(client, portal_user_id: int) -> None:
    """Sign the client in as a portal user (test_portal_access tests the real link flow)."""
    with client.session_transaction() as session:
        session["_user_id"] = f"portal:{portal_user_id}"
        session["_fresh"] = True
