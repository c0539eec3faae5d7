"""What a browser sends when a form on a rendered page is submitted.

Tests that post a form read it from the page the user would see and send exactly what a
browser would: each select's selected option (or its first), only checked boxes and radios,
textarea text without the leading line break, hidden fields, no disabled controls, and the
pressed button's name. A test then changes only what its user changes, like a person would.
"""

from __future__ import annotations

import io
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

_NOT_SENT_TYPES = {"submit", "button", "reset", "image"}
_DEFAULT_VALUE = {"checkbox": "on", "radio": "on"}


class BrowserForm:
    """One `<form>` of a page: its fields in document order, as the browser would send them."""

    def __init__(self, form, page_url: str):
        self.element = form
        self.page_url = page_url
        self.method = (form.get("method") or "get").lower()
        self.action = urljoin(page_url, form.get("action") or page_url)
        self.multipart = (form.get("enctype") or "").lower() == "multipart/form-data"
        self.fields: list[tuple[str, object]] = []
        self.options: dict[str, list[str]] = {}
        self.file_fields: set[str] = set()
        self.buttons: dict[str, str] = {}
        for control in form.find_all(["input", "select", "textarea", "button"]):
            self._read(control)

    def _read(self, control) -> None:
        name = control.get("name")
        if control.name == "button" or control.get("type", "").lower() in _NOT_SENT_TYPES:
            kind = control.get("type", "submit").lower()
            if name and kind == "submit" and not control.has_attr("disabled"):
                self.buttons[name] = control.get("value", "")
            return
        if not name or control.has_attr("disabled") or _in_disabled_fieldset(control):
            return
        if control.name == "select":
            self._read_select(name, control)
        elif control.name == "textarea":
            self.fields.append((name, _textarea_text(control)))
        else:
            self._read_input(name, control)

    def _read_select(self, name: str, select) -> None:
        options = [o for o in select.find_all("option") if not o.has_attr("disabled")]
        values = [o.get("value", o.get_text()) for o in options]
        self.options[name] = values
        chosen = [v for o, v in zip(options, values, strict=True) if o.has_attr("selected")]
        if select.has_attr("multiple"):
            self.fields.extend((name, v) for v in chosen)
        elif chosen:
            self.fields.append((name, chosen[-1]))
        elif values and not _has_size(select):
            self.fields.append((name, values[0]))

    def _read_input(self, name: str, control) -> None:
        kind = control.get("type", "text").lower()
        if kind in _DEFAULT_VALUE:
            self.options.setdefault(name, []).append(control.get("value", _DEFAULT_VALUE[kind]))
            if control.has_attr("checked"):
                self.fields.append((name, control.get("value", _DEFAULT_VALUE[kind])))
        elif kind == "file":
            self.file_fields.add(name)
            self.fields.append((name, (io.BytesIO(b""), "")))
        else:
            self.fields.append((name, control.get("value", "")))

    # Changing it as a user would.

    def __getitem__(self, name: str):
        values = self.getlist(name)
        if not values:
            raise KeyError(name)
        return values[0]

    def getlist(self, name: str) -> list:
        return [value for key, value in self.fields if key == name]

    def __contains__(self, name: str) -> bool:
        return any(key == name for key, _ in self.fields) or name in self.options

    def __setitem__(self, name: str, value) -> None:
        """Type into a field, or choose an option (which must be one the page offers)."""
        if name in self.options and name not in self.file_fields:
            self._must_offer(name, value)
        self._replace(name, [value])

    def tamper(self, name: str, value) -> None:
        """Send a value (or a list of them) the page does not offer, as someone editing the
        page or the request would."""
        self._replace(name, list(value) if isinstance(value, list) else [value])

    def check(self, name: str, value: str = "on") -> None:
        """Tick a checkbox (kept with the others of its name) or pick a radio button."""
        self._must_offer(name, value)
        radio = self.element.find("input", attrs={"name": name, "type": "radio"})
        if radio is not None:
            self._replace(name, [value])
        elif value not in self.getlist(name):
            self._replace(name, [*self.getlist(name), value])

    def uncheck(self, name: str, value: str = "on") -> None:
        self._replace(name, [v for v in self.getlist(name) if v != value])

    def add_inline_row(self, inline: str, index: int, **typed) -> None:
        """What a click on Flask-Admin's "Add" under the inline list `inline` then Save sends:
        the page's template row as the browser sends it (renamed `<inline>-<index>-*`, as
        Flask-Admin's script does), with what the user typed in it."""
        row = self._new_row(inline)
        for name, value in row.fields:
            if name not in ("csrf_token", "id"):
                if name in typed and name in row.options:
                    assert str(typed[name]) in row.options[name], f"{name!r}: no {typed[name]!r}"
                self.tamper(f"{inline}-{index}-{name}", typed.get(name, value))

    def new_row_options(self, inline: str) -> dict[str, list[str]]:
        """What each select and checkbox of a row added to the inline list `inline` offers."""
        return self._new_row(inline).options

    def _new_row(self, inline: str) -> BrowserForm:
        """The page's template row of the inline list `inline`, as a form of its own."""
        template = self.element.select_one(f"#{inline} > .inline-field-template")
        assert template is not None, f"the form has no inline list {inline!r}"
        return form_on(f"<form method=post>{template.get_text()}</form>")

    def select_many(self, name: str, values: list[str]) -> None:
        for value in values:
            self._must_offer(name, value)
        self._replace(name, list(values))

    def attach(self, name: str, *files: tuple) -> None:
        """Choose files for a file input: (bytes or a stream, filename) pairs."""
        assert name in self.file_fields, f"the form has no file field {name!r}"
        chosen = [(_stream(content), filename) for content, filename in files]
        self._replace(name, chosen or [(io.BytesIO(b""), "")])

    def _must_offer(self, name: str, value: str) -> None:
        offered = self.options.get(name, [])
        assert str(value) in offered, f"{name!r} offers {offered}, not {value!r}"

    def _replace(self, name: str, values: list) -> None:
        position = next((i for i, (key, _) in enumerate(self.fields) if key == name), None)
        kept = [(key, value) for key, value in self.fields if key != name]
        if position is None:
            position = len(kept)
        else:
            position -= sum(1 for key, _ in self.fields[:position] if key == name)
        self.fields = kept[:position] + [(name, v) for v in values] + kept[position:]

    # Sending it.

    def data(self, button: str | None = None) -> MultiDict:
        """The submitted pairs; `button` names the pressed submit button (if it has a name)."""
        pairs = [(k, _fresh(v)) for k, v in self.fields]
        if button is not None:
            assert button in self.buttons, f"no submit button {button!r} in {self.buttons}"
            pairs.append((button, self.buttons[button]))
        return MultiDict(pairs)

    def submit(self, client, button: str | None = None, **kwargs):
        """Send the form with the test client, as pressing `button` (or Enter) would."""
        data = self.data(button)
        path = _path_of(self.action)
        if self.method == "get":  # a browser replaces the action's query with the fields
            return client.get(urlsplit(self.action).path, query_string=data, **kwargs)
        content_type = "multipart/form-data" if self.multipart else None
        if content_type is None:
            data = MultiDict((k, v) for k, v in data.items(multi=True) if not isinstance(v, tuple))
        return client.post(path, data=data, content_type=content_type, **kwargs)


def forms_on(page, url: str = "http://localhost/") -> list[BrowserForm]:
    """Every form on a page (a response, its HTML, or the page already parsed)."""
    soup, url = _soup(page, url)
    return [BrowserForm(form, url) for form in soup.find_all("form")]


def form_on(page, selector: str | None = None, url: str = "http://localhost/") -> BrowserForm:
    """The one form on a page a user would fill in: the one matching a CSS `selector`, or the
    page's only form that posts (search and language forms use GET)."""
    soup, url = _soup(page, url)
    if selector is not None:
        matching = [f for f in soup.select(selector) if f.name == "form"]
        assert len(matching) == 1, f"{len(matching)} forms match {selector!r}"
        return BrowserForm(matching[0], url)
    posting = [
        f for f in map(lambda f: BrowserForm(f, url), soup.find_all("form")) if f.method == "post"
    ]
    assert len(posting) == 1, f"the page has {len(posting)} posting forms; pass a selector"
    return posting[0]


def _soup(page, url: str):
    """The parsed page and its address (a test client response knows where it came from)."""
    if isinstance(page, BeautifulSoup):
        return page, url
    html = page.get_data(as_text=True) if hasattr(page, "get_data") else page
    if getattr(page, "request", None) is not None:
        url = page.request.url
    return BeautifulSoup(html, "html.parser"), url


def _textarea_text(textarea) -> str:
    text = textarea.get_text()
    if text.startswith("\r\n"):
        return text[2:]
    return text[1:] if text.startswith("\n") else text


def _has_size(select) -> bool:
    try:
        return int(select.get("size", "1")) > 1
    except ValueError:
        return False


def _in_disabled_fieldset(control) -> bool:
    return any(p.name == "fieldset" and p.has_attr("disabled") for p in control.parents)


def _stream(content) -> io.BytesIO:
    if isinstance(content, bytes):
        return io.BytesIO(content)
    content.seek(0)
    return io.BytesIO(content.read())


def _fresh(value):
    if isinstance(value, tuple):
        stream, filename = value
        return (io.BytesIO(stream.getvalue()), filename)
    return value


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
