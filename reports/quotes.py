"""The "signed_quote" background job: an approved quote's signed PDF, filed in the
customer's documents (with the quote's work order, property and unit) and linked on the quote.

The document is committed together with the job's result, or not at all (progress reports do
not commit it). It is written in the language the customer
signed in.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.jobs import JobResult, Progress, job_body
from app.models import Quote
from app.models.enums import DocumentKind, QuoteStatus
from app.services.documents import file_pdf
from app.services.quotes import SIGNED_QUOTE_JOB
from reports.billing import signed_quote
from reports.billing_pdf import quote_pdf


@job_body(
    SIGNED_QUOTE_JOB,
    label=_l("Signed quote"),
    for_customer=_l("A signed quote's PDF in the customer's documents"),
)
def signed_quote_job(params: dict, progress: Progress) -> JobResult:
    """Write the signed PDF of quote `quote_id` and keep it as the customer's document."""
    quote = db.session.get(Quote, params.get("quote_id"))
    if quote is None or quote.status != QuoteStatus.APPROVED:
        raise ValueError(f"Quote {params.get('quote_id')!r} is not an approved quote.")
    progress(10, "Writing the signed quote")
    with force_locale(params.get("locale") or "en"):
        pdf = quote_pdf(*signed_quote(quote))
        title = _("Signed quote %(number)s", number=quote.number)
    filename = f"{quote.number}-signed.pdf"
    if quote.signed_document is None:
        work_order = quote.work_order
        quote.signed_document, _stored = file_pdf(
            pdf,
            kind=DocumentKind.QUOTE,
            title=title,
            filename=filename,
            customer_id=quote.customer_id,
            property_id=work_order.property_id if work_order else quote.property_id,
            unit_id=work_order.unit_id if work_order else quote.unit_id,
            work_order_id=work_order.id if work_order else None,
        )
        db.session.flush()
    return JobResult(pdf, filename, "application/pdf")
