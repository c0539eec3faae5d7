"""Static files named by their content, so browsers may keep them for a year.

Every `url_for("static", ...)` and `url_for("<blueprint>.static", ...)` (Flask-Admin's
`admin.static` included) gets `?v=<hash of the file's bytes>`. A request whose `v` matches the
file as it is now is answered with a long, immutable Cache-Control: the URL changes whenever the
file does, so nothing stale is ever kept. Any other request for a static file (no `v`, an old
one) keeps Flask's default: revalidate with the ETag.
"""

import hashlib
import os
from functools import lru_cache

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

VERSION_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=1024)
def _hash_of(path: str, modified_ns: int, size: int) -> str:
    """The first 12 hex digits of the file's SHA-256 (cached per path, mtime and size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def content_hash(folder: str, filename: str) -> str | None:
    """The version of `filename` under `folder`, or None when there is no such file."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _hash_of(path, stat.st_mtime_ns, stat.st_size)


def static_folder(app: Flask, endpoint: str | None) -> str | None:
    """The folder a static endpoint serves ("static" is the app's, "x.static" blueprint x's)."""
    if not endpoint:
        return None
    owner, _, name = endpoint.rpartition(".")
    if name != "static":
        return None
    scaffold = app.blueprints.get(owner) if owner else app
    return scaffold.static_folder if scaffold else None


def _add_version(endpoint: str, values: dict) -> None:
    folder = static_folder(current_app, endpoint)
    if folder and "filename" in values:
        version = content_hash(folder, values["filename"])
        if version:
            values[VERSION_ARG] = version


def _cache_versioned(response: Response) -> Response:
    folder = static_folder(current_app, request.endpoint)
    if not folder:
        return response
    version = request.args.get(VERSION_ARG)
    if version and response.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        if version == content_hash(folder, filename):
            response.headers["Cache-Control"] = IMMUTABLE
    return response


def init_static_urls(app: Flask) -> None:
    """Version every static URL the app builds and cache versioned requests for a year."""
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
