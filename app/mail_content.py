"""E-mail bodies in the company's colours: the text version from a template, and an HTML
version with the logo, the name and the brand colour made from the same text."""

import re

from flask import current_app, render_template, url_for
from markupsafe import Markup, escape

from app.services.company import current_company

_LINK = re.compile(r"(https?://[^\s<]+)")


def _paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs, with its links clickable."""
    blocks = [block.strip() for block in text.strip().split("\n\n") if block.strip()]
    html = []
    for block in blocks:
        escaped = str(escape(block)).replace("\n", "<br>")
        html.append("<p>" + _LINK.sub(r'<a href="\1">\1</a>', escaped) + "</p>")
    return Markup("\n".join(html))  # noqa: S704  (every piece was escaped above)


def render_branded(template: str, **context) -> tuple[str, str]:
    """(text, html) for `mail/<template>.txt`, the HTML wrapped in the company's branding."""
    text = render_template(f"mail/{template}.txt", **context)
    company = current_company()
    logo = (
        current_app.config["PUBLIC_BASE_URL"] + url_for("brand_logo") if company.logo_key else None
    )
    html = render_template(
        "mail/layout.html", body=_paragraphs(text), company=company, logo_url=logo
    )
    return text, html
