"""The links in a visit e-mail that answer it without signing in: confirm, reschedule, cancel.

Every visit e-mail carries fresh links (256 random bits each, only their SHA-256 stored) that
work once, until the visit's arrival window ends, and only while the visit may still change.
What pressing one does is in app.services.visit_answers.
"""

import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import UserError
from app.extensions import db
from app.models import Visit, VisitAnswerLink
from app.models.base import utcnow
from app.models.enums import VisitAnswer, VisitStatus
from app.models.scheduling import MOVABLE_STATUSES
from app.urls import public_url

EXPIRED = _l(
    "This link has expired or was already used. Use the links in our latest e-mail, or call us."
)


class AnswerError(UserError):
    """The link cannot answer the visit; the message is safe to show whoever opened it."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_links(visit: Visit) -> dict[VisitAnswer, str]:
    """New links for an e-mail about the visit, one per answer it can still take (a confirmed
    visit needs no confirming); none once it can no longer change."""
    if visit.status not in MOVABLE_STATUSES:
        return {}
    links = {}
    for purpose in VisitAnswer:
        if purpose == VisitAnswer.CONFIRM and visit.status == VisitStatus.CONFIRMED:
            continue
        token = secrets.token_urlsafe(32)
        db.session.add(
            VisitAnswerLink(
                visit=visit,
                purpose=purpose,
                token_hash=hash_token(token),
                expires_at=visit.arrival_end,
            )
        )
        links[purpose] = public_url("qr.visit_answer", token=token)
    return links


def latest_answers(visit_ids: list[int]) -> dict[int, VisitAnswerLink]:
    """Each of these visits' latest answer from the customer (visits never answered left out),
    in one query."""
    answered = db.session.scalars(
        select(VisitAnswerLink)
        .where(VisitAnswerLink.visit_id.in_(visit_ids), VisitAnswerLink.used_at.is_not(None))
        .order_by(VisitAnswerLink.used_at, VisitAnswerLink.id)
    )
    return {link.visit_id: link for link in answered}


def find_answer_link(token: str) -> VisitAnswerLink:
    """The usable link behind `token`; AnswerError when it is unknown, used or expired, or its
    visit can no longer change."""
    link = db.session.scalar(
        select(VisitAnswerLink).where(VisitAnswerLink.token_hash == hash_token(token))
    )
    now = utcnow()
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise AnswerError(EXPIRED)
    if link.visit.status not in MOVABLE_STATUSES or link.visit.arrival_end <= now:
        raise AnswerError(
            _l("This visit can no longer be changed from here. Please call us if you need help.")
        )
    return link
