"""Absolute links for e-mails and stickers, always on PUBLIC_BASE_URL."""

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` as people outside should reach it.

    Built from the URL map directly, so it works in jobs and commands as well as requests.
    """
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"] + path
