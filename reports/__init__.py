"""RQ job bodies that write PDFs (sticker sheets, compliance reports)."""
