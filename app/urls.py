"""Absolute links for e-mails and stickers, always on PUBLIC_BASE_URL."""

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` as people outside should reach it."""
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)
