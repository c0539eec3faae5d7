"""E-mail bodies in the company's colours: the text version from a template, and an HTML
version with the logo, the name and the brand colour made from the same text. A mail whose
point is one link (sign in) names it as its `button`: the HTML shows that link as a button in
the brand colour, the text keeps it as a line to click or copy.

The logo is an image on PUBLIC_BASE_URL, not an inline (cid:) attachment: the development mail
page frames the HTML and can only show a real URL, the outbox stays one row with no extra
files, and a client that blocks remote images loses nothing, as the name stands beside it.

Mail is often rendered outside any request (jobs, RQ workers, commands), so every link and
image in it is built by `app.urls.public_url`, on PUBLIC_BASE_URL: templates that call
`url_for` get that function too. Only links on PUBLIC_BASE_URL become clickable in the HTML,
and text people typed (a request's description, a name, a reason) goes through the `defang`
filter, so no mail client turns it into a link either.
"""

import re
from typing import NamedTuple

from flask import current_app, render_template
from markupsafe import Markup, escape

from app.colours import brand_hex, text_on
from app.services.company import current_company
from app.urls import public_url

_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)")
_NAME_DOT = re.compile(r"(?<=\w)\.(?=[^\W\d_])")
_IP_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def defang(text) -> str:
    """Typed text that mail clients cannot turn into links: "see evil.example.com" reads
    "see evil[.]example[.]com" and "http://x" reads "http[:]//x"; ordinary words and
    numbers such as "3.5 tons" stay as typed."""
    text = _SCHEME.sub(r"\1[:]", str(text or ""))
    text = _IP_ADDRESS.sub(lambda found: found.group().replace(".", "[.]"), text)
    return _NAME_DOT.sub("[.]", text)


class Portrait(NamedTuple):
    """A person's photo shown above the message (the technician on the way), and their name."""

    url: str
    name: str


class Button(NamedTuple):
    """The one link a mail is for, and what its button says (a lazy string is fine)."""

    label: str
    url: str


def _paragraphs(text: str, button: Button | None = None) -> Markup:
    """Plain text as HTML paragraphs, with the links to this site clickable; the button's
    link, on a line of its own, becomes the button."""
    own_link = re.compile("(" + re.escape(current_app.config["PUBLIC_BASE_URL"]) + r"/[^\s<]*)")
    blocks = [block.strip() for block in text.strip().split("\n\n") if block.strip()]
    html = []
    for block in blocks:
        lines = block.split("\n")
        is_button = button is not None and button.url in lines
        if is_button:
            lines.remove(button.url)
        if lines:
            escaped = str(escape("\n".join(lines))).replace("\n", "<br>")
            html.append("<p>" + own_link.sub(r'<a href="\1">\1</a>', escaped) + "</p>")
        if is_button:
            html.append(_button(button))
    return Markup("\n".join(html))  # noqa: S704  (every piece was escaped above or by Jinja)


def _button(button: Button) -> str:
    """The button in the brand colour as the office chose it, its text white or black,
    whichever reads at 4.5:1 or more."""
    brand = brand_hex(current_company().brand_color)
    return render_template(
        "mail/_button.html", button=button, background=brand, colour=text_on(brand)
    )


def render_branded(
    template: str, button: Button | None = None, portrait: Portrait | None = None, **context
) -> tuple[str, str]:
    """(text, html) for `mail/<template>.txt`, the HTML wrapped in the company's branding,
    with the `portrait` above the message when there is one."""
    context = {"url_for": public_url, **context}
    text = render_template(f"mail/{template}.txt", **context)
    company = current_company()
    logo = public_url("brand_logo") if company.logo_key else None
    html = render_template(
        "mail/layout.html",
        body=_paragraphs(text, button),
        company=company,
        logo_url=logo,
        portrait=portrait,
    )
    return text, html
