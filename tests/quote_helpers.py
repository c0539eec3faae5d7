"""A sent HVAC quote with good / better / best alternatives and add-ons, and a customer's
signed approval of it, for quote tests.

At the factories' 8.25% tax the preselected configuration (labor, permit, the "good" heat
pump) is $5,617.00 + $463.40 tax = $6,080.40.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from app.extensions import db
from app.models import QuoteLine
from app.models.base import utcnow
from app.models.enums import LineKind, QuoteStatus
from app.services.billing import recalculate_totals
from app.services.company import local_today
from app.services.quotes import Approval, content_hash
from tests import factories as f
from tests.helpers import finish_jobs

LINES = (
    # description, kind, quantity, unit price, optional, group
    ("Installation labor", LineKind.LABOR, "8", 12900, False, ""),
    ("Mechanical permit", LineKind.FEE, "1", 8500, False, ""),
    ("Good: 14 SEER heat pump", LineKind.EQUIPMENT, "1", 450000, False, "System"),
    ("Better: 16 SEER two-stage heat pump", LineKind.EQUIPMENT, "1", 580000, False, "System"),
    ("Best: variable-speed heat pump", LineKind.EQUIPMENT, "1", 720000, False, "System"),
    ("Smart Wi-Fi thermostat", LineKind.PART, "1", 24500, True, ""),
    ("UV-C air purifier", LineKind.PART, "1", 68500, True, ""),
)


def hvac_quote(prop=None, *, status=QuoteStatus.SENT, valid_days: int | None = 30, **fields):
    """The quote (committed), for `prop` (a new property of a new customer by default)."""
    prop = prop or f.PropertyFactory()
    quote = f.QuoteFactory(
        customer=prop.customer,
        property=prop,
        status=status,
        title="Replace the heat pump",
        notes="Prices good for 30 days.",
        valid_until=local_today() + timedelta(days=valid_days) if valid_days is not None else None,
        sent_at=utcnow() if status != QuoteStatus.DRAFT else None,
        **fields,
    )
    quote.lines = [
        QuoteLine(
            position=position,
            description=description,
            kind=kind,
            quantity=Decimal(quantity),
            unit_price_cents=cents,
            optional=optional,
            option_group=group,
        )
        for position, (description, kind, quantity, cents, optional, group) in enumerate(
            LINES, start=1
        )
    ]
    db.session.flush()
    db.session.refresh(quote)
    recalculate_totals(quote)
    db.session.commit()
    return quote


def line_id(quote, description: str) -> int:
    return next(line.id for line in quote.lines if line.description == description)


# Where the customer approved from, as the approval records it.
ADDRESS = "203.0.113.7"
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"


def drawn_signature(size=(900, 300), ink=True) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        points = [(60, 220), (250, 60), (420, 240), (640, 80), (840, 200)]
        ImageDraw.Draw(image).line(points, (20, 20, 60, 255), 8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def approval(quote, *choices: str, signature=b"", **fields) -> Approval:
    values = {
        "signer_name": "Ana Rivera",
        "signature_png": drawn_signature() if signature == b"" else signature,
        "consent": True,
        "chosen_ids": tuple(line_id(quote, text) for text in choices)
        or (line_id(quote, "Good: 14 SEER heat pump"),),
        "shown_hash": content_hash(quote),
        "client_address": ADDRESS,
        "user_agent": BROWSER,
    }
    return Approval(**{**values, **fields})


@pytest.fixture(autouse=True)
def _signed_pdfs_finish(app):
    """An approval's PDF job runs in a thread after the commit: let it end before the next test."""
    yield
    finish_jobs(app, "signed_quote")
