"""The sign-off screen at /admin/sign-off/<work order>: the technician hands the phone to the
customer, who reads the summary (large, in their language) and signs it with a finger, or
types their name; or the technician records that the customer was not there, and why.

The page is in the customer's language (their portal language) unless `?lang=` picks
another; the forms post it back, so what follows stays in it.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import force_locale
from flask_babel import gettext as _

from admin.base import LinkedStaffView
from app.auth.roles import current_staff
from app.errors import UserError
from app.extensions import db
from app.i18n import LANGUAGES
from app.ids import MAX_ID
from app.models import WorkOrder
from app.queries.work import work_order_to_sign
from app.services.company import company_currency, current_company
from app.services.sign_off import (
    CONSENT_TEXT,
    Signing,
    customer_language,
    record_not_present,
    sign_off_state,
    sign_work_order,
    summary_hash,
    totals,
    visible_notes,
)
from app.services.signatures import signed_fields


class SignOffView(LinkedStaffView):
    """Reached from a work order, never from the menu."""

    area = "work"

    @expose("/")
    def index(self):
        """A sign-off is of one work order: pick it from the list."""
        return redirect(url_for("workorder.index_view"))

    @expose(f"/<int(max={MAX_ID}):work_order_id>")
    def summary(self, work_order_id: int):
        """The summary to sign, or how it was signed."""
        work_order = _work_order(work_order_id)
        return self._page(work_order, _language(work_order, request.args))

    @expose(f"/<int(max={MAX_ID}):work_order_id>/sign", methods=("POST",))
    def sign(self, work_order_id: int):
        """The customer's signature (drawn, or their typed name)."""
        return self._decided(work_order_id, "sign", _sign)

    @expose(f"/<int(max={MAX_ID}):work_order_id>/not-present", methods=("POST",))
    def not_present(self, work_order_id: int):
        """The technician's note that nobody was there to sign, with the reason."""
        return self._decided(work_order_id, "absent", _not_present)

    def _decided(self, work_order_id: int, failed: str, decide):
        """Record the posted decision in the page's language: `decide(work_order, form,
        language)` returns the thanks to show; a refusal shows the page again with what was
        typed, its problem on the `failed` form."""
        work_order = _work_order(work_order_id)
        form = request.form
        language = _language(work_order, form)
        with force_locale(language):
            try:
                thanks = decide(work_order, form, language)
            except UserError as error:
                db.session.rollback()
                return self._page(work_order, language, error=error, failed=failed, kept=form)
            db.session.commit()
            flash(thanks)
        return redirect(url_for(".summary", work_order_id=work_order.id, lang=language))

    def _page(self, work_order: WorkOrder, language: str, *, error=None, failed="", kept=None):
        state, company = sign_off_state(work_order), current_company()
        with force_locale(language):
            return self.render(
                "admin/sign_off.html",
                work_order=work_order,
                language=language,
                languages=LANGUAGES,
                sign_off=state.last,
                void=state.void,
                notes=visible_notes(work_order),
                totals=totals(work_order),
                currency=company_currency(),
                tax_rate=company.tax_rate_percent,
                shown_hash=summary_hash(work_order),
                consent_text=CONSENT_TEXT,
                error=error,
                failed=failed,
                kept=kept or {},
            )


def _sign(work_order: WorkOrder, form, language: str) -> str:
    signing = Signing(**signed_fields(form), locale=language)
    sign_off = sign_work_order(work_order, signing, actor=current_staff())
    return _("Thank you, %(name)s. Your signature is recorded.", name=sign_off.signer_name)


def _not_present(work_order: WorkOrder, form, language: str) -> str:
    shown_hash = form.get("shown_hash", "")
    reason = form.get("reason", "")
    record_not_present(work_order, reason, shown_hash, actor=current_staff(), locale=language)
    return _("Recorded: the customer was not present to sign.")


def _work_order(work_order_id: int) -> WorkOrder:
    """The work order, if the signed-in staff member may work on it (else 404)."""
    found = work_order_to_sign(current_staff(), work_order_id)
    if found is None:
        abort(404)
    return found


def _language(work_order: WorkOrder, values) -> str:
    chosen = values.get("lang", "")
    return chosen if chosen in LANGUAGES else customer_language(work_order)
