"""What can go wrong with a quote decision or choice (for the quote and signature services)."""

from app.errors import FieldError


class QuoteError(FieldError):
    """A decision or a choice that cannot be made; the message is safe to show the customer.

    `field` names the form field the message is about, if any.
    """


class QuoteDecided(QuoteError):
    """The quote was approved, declined or expired already (perhaps a moment ago)."""


class QuoteExpired(QuoteError):
    """The quote's valid-until day has passed; the quote has been marked expired."""


class QuoteChanged(QuoteError):
    """The quote was edited after the customer opened it."""
