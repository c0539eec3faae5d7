"""What a browser would send from a page's form, read from the rendered HTML."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the successful controls of the first form whose class includes `form_class`:
    inputs with their value (check boxes and radio buttons only when checked), text areas with
    their text, selects with their selected option (the first one when none is selected)."""

    def __init__(self, form_class: str):
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.values: list[tuple[str, str]] = []
        self._state = "before"  # before, inside, after
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self._state == "before":
            if self.form_class in (attrs.get("class") or "").split():
                self._state = "inside"
            return
        if self._state != "inside":
            return
        name = attrs.get("name")
        if tag == "input" and name and not _skipped(attrs):
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self.values.append((name, attrs.get("value", default) or ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._state != "inside":
            return
        if tag == "form":
            self._state = "after"
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            first = [value for value, _ in self._options[:1]]
            self.values.append((self._select, (chosen or first or [""])[0]))
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The HTML parser drops one newline right after <textarea>.
            text = "".join(self._text).replace("\r\n", "\n").removeprefix("\n")
            self.values.append((self._textarea, text))
            self._textarea = None


def _skipped(attrs: dict) -> bool:
    kind = (attrs.get("type") or "text").lower()
    if kind in ("checkbox", "radio"):
        return "checked" not in attrs
    return kind in ("submit", "button", "file", "image", "reset")


def form_values(page: str, form_class: str = "admin-form") -> dict[str, str]:
    """The name → value pairs a browser would post from the page's form, untouched."""
    reader = _FormReader(form_class)
    reader.feed(page)
    return dict(reader.values)
