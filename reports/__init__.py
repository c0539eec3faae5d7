"""RQ job bodies that write PDFs (sticker sheets, compliance reports)."""

from reports import stickers  # noqa: F401  (importing registers the job body)
