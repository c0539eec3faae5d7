"""RQ job bodies that write PDFs (sticker sheets, compliance reports)."""

from reports import compliance, stickers  # noqa: F401  (importing registers the job bodies)
