"""Where sign-in sends people, and back again, without ever leaving the site."""

import posixpath
from urllib.parse import quote, unquote, urlsplit

from flask import redirect, request, url_for


def to_sign_in():
    """Redirect to the staff sign-in page, coming back to this page afterwards."""
    here = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=here))


def local_path(target: str | None) -> str | None:
    """`target` as a path on this site with its escapes and dot segments resolved the way a
    browser resolves them (`/a/%2e%2e/b` is `/b`), or None when it could lead anywhere else:
    another host (`//x`, `/%2f/x`), a backslash (`/\\x` is `//x` to browsers), a control
    character (browsers drop tabs and line breaks, so `/\\t/x` is `//x`) or no leading slash."""
    if not target or not target.startswith("/"):
        return None
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or "\\" in path or path.startswith("//"):
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in target + path):
        return None
    normal = posixpath.normpath(path)
    if path.endswith("/") and normal != "/":
        normal += "/"
    if normal.startswith("//"):
        return None
    return quote(normal) + (f"?{parts.query}" if parts.query else "")


def safe_next(target: str | None, default: str) -> str:
    """`target` (normalised) when it is a path on this site, otherwise `default`."""
    return local_path(target) or default


def next_within(target: str | None, prefix: str, default: str) -> str:
    """`target` (normalised) when it is `prefix` or a page under it, otherwise `default`."""
    path = local_path(target)
    inside = path is not None and (path.split("?", 1)[0] == prefix or path.startswith(prefix + "/"))
    return path if inside else default
