"""RQ job bodies that write PDFs (sticker sheets, compliance reports, signed quotes)."""

from reports import compliance, quotes, stickers  # noqa: F401  (importing registers the job bodies)
