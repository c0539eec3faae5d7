"""The "signed_work_order" background job: a work order's signed copy (or its copy saying the
customer was not there to sign), filed in the customer's documents and e-mailed, PDF attached,
to the customer's portal users (each in their language) and to whoever asked for the work
from the unit's sticker.

The document, the e-mails and the sign-off's link to the document are committed with the
job's result, or not at all; a retried job starts again from nothing.
"""

from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.i18n import language_of
from app.jobs import JobResult, Progress, job_body
from app.mail import queue_mail
from app.mail_content import render_branded
from app.models import WorkOrderSignOff
from app.models.enums import DocumentKind, RequestSource
from app.services.company import current_company
from app.services.documents import file_pdf, save_pdf
from app.services.portal_access import active_portal_users, mail_portal_user
from app.services.sign_off import SIGNED_WORK_ORDER_JOB
from app.storage import StoredFile
from app.urls import public_url
from reports.work_order_pdf import signed_work_order_pdf
from reports.work_orders import signed_work_order


@job_body(
    SIGNED_WORK_ORDER_JOB,
    label=_l("Signed work order"),
    for_customer=_l("A signed work order's PDF in the customer's documents and e-mail"),
)
def signed_work_order_job(params: dict, progress: Progress) -> JobResult:
    """Write the signed copy of sign-off `sign_off_id`, file it and e-mail it."""
    sign_off = db.session.get(WorkOrderSignOff, params.get("sign_off_id"))
    if sign_off is None:
        raise ValueError(f"No sign-off {params.get('sign_off_id')!r}.")
    work_order = sign_off.work_order
    copies: dict[str, bytes] = {}

    def copy_in(language: str) -> bytes:
        if language not in copies:
            with force_locale(language):
                copies[language] = signed_work_order_pdf(*signed_work_order(sign_off))
        return copies[language]

    progress(10, "Writing the signed work order")
    filename = f"{work_order.number}-signed.pdf"
    if sign_off.document is None:
        with force_locale(sign_off.locale):
            title = _("Signed work order %(number)s", number=work_order.number)
        document, stored = file_pdf(
            copy_in(sign_off.locale),
            kind=DocumentKind.WORK_ORDER,
            title=title,
            filename=filename,
            customer_id=work_order.customer_id,
            property_id=work_order.property_id,
            unit_id=work_order.unit_id,
            work_order_id=work_order.id,
        )
        sign_off.document = document
        progress(60, "E-mailing it")
        _mail(sign_off, {sign_off.locale: stored}, copy_in, filename)
        db.session.flush()
    return JobResult(copy_in(sign_off.locale), filename)


def _mail(
    sign_off: WorkOrderSignOff,
    attachments: dict[str, StoredFile],
    copy_in: Callable[[str], bytes],
    filename: str,
) -> None:
    """E-mail the copy to the portal users, each in their language with the copy in it, and
    to the sticker requester in the language the summary was shown in."""

    def attachment(language: str) -> StoredFile:
        if language not in attachments:
            attachments[language] = save_pdf(copy_in(language), filename)
        return attachments[language]

    work_order = sign_off.work_order
    subject = _l(
        "Your signed work order %(number)s from %(company)s",
        number=work_order.number,
        company=current_company().name,
    )
    context = {"work_order": work_order, "sign_off": sign_off}
    mailed = set()
    for user in active_portal_users(work_order.customer_id):
        mail_portal_user(
            user,
            subject,
            "work_order_signed",
            attachments=[attachment(language_of(user))],
            name=user.name,
            link=public_url("portal.documents"),
            **context,
        )
        mailed.add(user.email.lower())
    request = work_order.service_request
    if (
        request is not None
        and request.source == RequestSource.QR
        and request.contact_email
        and request.contact_email.lower() not in mailed
    ):
        with force_locale(sign_off.locale):
            text, html = render_branded(
                "work_order_signed", name=request.contact_name, link=None, **context
            )
            queue_mail(
                request.contact_email,
                str(subject),
                text,
                html,
                attachments=[attachment(sign_off.locale)],
            )
