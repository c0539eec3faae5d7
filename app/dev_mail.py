"""The development mail page: every message in the outbox, readable in the browser.

Registered only when DEV_MAIL_PAGE is on (development, or a test that asks for it), because it
shows every e-mail TuffOps sends, sign-in links included, to whoever opens it.
"""

import re

from flask import Blueprint, abort, render_template, send_file
from markupsafe import Markup, escape
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxAttachment, OutboxMessage
from app.storage import path_for

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")

PAGE_SIZE = 200
_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING_PUNCTUATION = ".,;:!?)"
# Links in the HTML version open in the page itself, not inside the frame.
_FRAME_BASE = '<base target="_top">'


@bp.get("/")
def index():
    """The newest messages first."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)
    ).all()
    return render_template("dev_mail/index.html", messages=messages, page_size=PAGE_SIZE)


@bp.get("/<int:message_id>")
def show(message_id: int):
    """One message: its headers, the text with clickable links, and the HTML version framed."""
    message = db.get_or_404(OutboxMessage, message_id)
    srcdoc = _FRAME_BASE + message.html_body if message.html_body else None
    return render_template(
        "dev_mail/show.html", message=message, text=linkify(message.text_body), srcdoc=srcdoc
    )


@bp.get("/<int:message_id>/attachments/<int:attachment_id>")
def attachment(message_id: int, attachment_id: int):
    """A file sent with a message, as it was attached."""
    found = db.get_or_404(OutboxAttachment, attachment_id)
    if found.message_id != message_id:
        abort(404)
    return send_file(
        path_for(found.storage_key),
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.filename,
    )


def linkify(text: str) -> Markup:
    """Plain text, escaped, with every http(s) URL turned into a link."""
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING_PUNCTUATION)
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
