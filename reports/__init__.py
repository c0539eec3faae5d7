"""RQ job bodies that write PDFs (sticker sheets, compliance reports, receipts, signed quotes)."""

from reports import compliance_job, quotes, receipts, stickers  # noqa: F401  (importing registers them)
