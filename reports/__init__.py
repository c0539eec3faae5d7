"""RQ job bodies that write PDFs (sticker sheets, compliance reports, receipts, signed quotes
and signed work orders)."""

from reports import (  # noqa: F401  (importing registers them)
    compliance_job,
    quotes,
    receipts,
    stickers,
    work_order_job,
)
