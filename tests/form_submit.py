"""What a browser would send from a rendered form: its fields as the page fills them in."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._chose = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].append((name, attrs.get("value", "on" if "checked" in attrs else "")))
        elif tag == "select" and name:
            self._select, self._first_option, self._chose = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs and not self._chose:
                self.forms[-1].append((self._select, value))
                self._chose = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1].append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._chose and self._first_option is not None:
                self.forms[-1].append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
            name, text = self.forms[-1][-1]
            # Browsers drop the line break that follows <textarea>.
            self.forms[-1][-1] = (name, text.removeprefix("\r\n").removeprefix("\n"))


def form_fields(page: str | bytes, containing: str, **changes) -> dict:
    """The fields of the page's first form with a field named `containing`, as a browser would
    post them, with `changes` typed over them (None unticks a box)."""
    parser = _FormFields()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    form = next(fields for fields in parser.forms if any(n == containing for n, _ in fields))
    values: dict = {}
    for name, value in form:
        values.setdefault(name, value)
    for name, value in changes.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values
