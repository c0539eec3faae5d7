"""Filing generated files (reports, receipts, signed quotes) in a customer's documents."""

from app.extensions import db
from app.models import Document
from app.models.enums import DocumentKind
from app.storage import StoredFile, save_bytes


def save_pdf(data: bytes, filename: str) -> StoredFile:
    """Store a PDF where customers' documents are kept (for a Document or an attachment)."""
    return save_bytes(
        data, folder="documents", suffix=".pdf", filename=filename, content_type="application/pdf"
    )


def file_pdf(
    data: bytes,
    *,
    kind: DocumentKind,
    title: str,
    filename: str,
    customer_id: int,
    visible_to_customer: bool = True,
    **owners,
) -> tuple[Document, StoredFile]:
    """Store a PDF and add it to the customer's documents; `owners` are the property, unit or
    work order ids it also belongs to. The caller commits."""
    stored = save_pdf(data, filename)
    document = Document(
        kind=kind,
        title=title,
        customer_id=customer_id,
        visible_to_customer=visible_to_customer,
        **owners,
        **stored.fields(),
    )
    db.session.add(document)
    db.session.flush()
    return document, stored
