"""RQ job bodies that write PDFs (sticker sheets, compliance reports, receipts)."""

from reports import compliance, receipts, stickers  # noqa: F401  (importing registers the job bodies)
