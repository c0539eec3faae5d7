"""Refuse requests carrying control characters, and ids too large to be ids.

A NUL byte or another control character has no place in anything a person types, and
PostgreSQL refuses NUL in text outright: checked once here, for every query string, form field,
uploaded file name, JSON body, header and path argument, before any view runs, instead of in
each form. Tabs and line breaks are ordinary text and pass.
"""

import re
from collections.abc import Iterator

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.ids import MAX_ID

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ControlCharacters(BadRequest):
    """The request carried a control character (shown as its own 400 page)."""


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in routes: a number above the database's integer range matches no route (a
    404) rather than overflowing the query."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def accepts_json(view):
    """Mark a view that reads a JSON body of any shape itself (the Stripe webhook). Elsewhere a
    JSON body is read as form fields (Flask-WTF does), so it must be one flat object."""
    view.accepts_json = True
    return view


def init_input_guard(app: Flask) -> None:
    """Bound route ids (before any route is added) and check every request's input."""
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(refuse_control_characters)
    app.before_request(refuse_json_that_is_not_form_like)


def refuse_json_that_is_not_form_like() -> None:
    """A 400 for a JSON body a form cannot read: not an object, or with nested values."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not request.is_json or getattr(view, "accepts_json", False):
        return
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(map(_form_value, body.values())):
        raise BadRequest()


def _form_value(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str | int | float | bool) for item in value)
    return isinstance(value, str | int | float | bool)


def refuse_control_characters() -> None:
    """A 400 for a request with a control character in anything it sends."""
    if any(_CONTROL.search(text) for text in _request_texts()):
        raise ControlCharacters()


def _request_texts() -> Iterator[str]:
    yield request.path
    for key, value in request.headers.items():
        yield key
        yield value
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            yield key
            yield value
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""
    if request.is_json:
        yield from _json_texts(request.get_json(silent=True))


def _json_texts(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item)
