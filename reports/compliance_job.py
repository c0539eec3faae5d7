"""The "compliance_report" background job and the build it shares with the CLI.

`compliance_report(params)` checks the parameters, loads the records (reports.compliance) and
builds the PDF (reports.compliance_pdf). The job also keeps the PDF as a document the customer
sees in the portal; it is committed together with the job's result, or not at all (progress
reports do not commit it).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.jobs import JobResult, Progress, job_body
from app.models.enums import DocumentKind
from app.services.documents import file_pdf
from reports import compliance_pdf as pdf
from reports.compliance import ReportRequest, check_params, load_report


@dataclass(frozen=True)
class BuiltReport:
    request: ReportRequest
    pdf: bytes
    appliances: int


def compliance_report(params: dict, progress: Callable[[int], None] | None = None) -> BuiltReport:
    """Check `params`, load the records and build the PDF (nothing is written)."""
    request = check_params(params)
    data = load_report(request)
    return BuiltReport(request, pdf.build_report(data, progress), len(data.appliances))


@job_body("compliance_report", label=_l("Compliance report"))
def compliance_report_job(params: dict, progress: Progress) -> JobResult:
    """The background job: the EPA compliance PDF, also kept in the customer's documents."""
    built = compliance_report(params, lambda percent: progress(percent, "Writing the report"))
    request = built.request
    file_pdf(
        built.pdf,
        kind=DocumentKind.COMPLIANCE_REPORT,
        title=request.title,
        filename=request.filename,
        customer_id=request.customer_id,
        property_id=request.property_id,
    )
    return JobResult(built.pdf, request.filename, "application/pdf")
