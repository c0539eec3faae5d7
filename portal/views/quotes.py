"""Quotes in the portal: the customer's list, one quote with its options, and the decision.

The options are radios (one per group of alternatives) and checkboxes (add-ons); the totals
follow them live with JavaScript, or with the "Update total" button (a GET with the chosen
line ids) without it. Approving posts the chosen ids, the SHA-256 of the quote as the page
showed it, the typed name and the drawn signature (a PNG data URL; empty without JavaScript,
when the typed name is the signature).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.ids import MAX_ID
from app.models import Quote
from app.models.enums import QuoteStatus
from app.queries.filters import property_filter
from app.queries.quotes import customer_quote, quote_list
from app.services.audit import client_address
from app.services.company import current_company, local_today
from app.services.quote_errors import QuoteError, QuoteExpired
from app.services.quotes import (
    CONSENT_TEXT,
    Approval,
    approve_quote,
    approved_selection,
    content_hash,
    decline_quote,
    preselection,
    select_lines,
    shown_status,
)
from app.services.signatures import signed_fields
from portal import bp
from portal.auth import current_portal_user, portal_login_required, scope
from portal.kept_pages import kept_while_unchanged

USER_AGENT_LENGTH = 500


@bp.get("/quotes")
@portal_login_required
@kept_while_unchanged
def quotes():
    """The customer's quotes: those waiting for a decision first, then the decided ones."""
    customer = scope()
    choice = property_filter(customer, request.args)
    chosen = choice.chosen
    page = quote_list(
        customer, chosen.id if chosen else None, local_today(), request.args.get("page")
    )
    return render_template(
        "portal/quotes.html",
        page=page,
        **choice._asdict(),
        shown_status=shown_status,
    )


def _quote(quote_id: int) -> Quote:
    """One of the customer's quotes with its lines (anyone else's is a 404)."""
    found = customer_quote(scope(), quote_id)
    if found is None:
        abort(404)
    return found


def _chosen_values(values) -> list[str]:
    """The chosen line ids: add-on checkboxes and hidden inputs are "chosen", each group's
    radios "group-<n>"."""
    keys = [key for key in values if key == "chosen" or key.startswith("group-")]
    return [value for key in keys for value in values.getlist(key)]


@bp.get(f"/quotes/<int(max={MAX_ID}):quote_id>")
@portal_login_required
@kept_while_unchanged
def quote(quote_id: int):
    """One quote: its lines and options, totals, validity, and the approve and decline forms."""
    found = _quote(quote_id)
    problems, selection = [], None
    if "update" in request.args or _chosen_values(request.args):
        try:
            selection = select_lines(found, _chosen_values(request.args))
        except QuoteError as error:
            problems.append(str(error))
    return _page(found, selection=selection, problems=problems)


@bp.post(f"/quotes/<int(max={MAX_ID}):quote_id>/approve")
@portal_login_required
def approve(quote_id: int):
    """Approve the quote with the chosen options and the signature; a problem is shown on
    the page with everything typed kept."""
    found = _quote(quote_id)
    form = request.form
    chosen = _chosen_values(form)
    try:
        work_order = approve_quote(
            found,
            Approval(
                **signed_fields(form),
                consent=form.get("consent") == "yes",
                chosen_ids=tuple(chosen),
                client_address=client_address(),
                user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
            ),
            actor=current_portal_user(),
        )
    except QuoteError as error:
        _end_failed_decision(error)
        kept_choice = _kept_selection(found, chosen)
        return _page(found, selection=kept_choice, error=error, failed="approve", kept=form)
    db.session.commit()
    flash(
        _(
            "Thank you, %(name)s. You approved quote %(number)s, and we opened work order "
            "%(work_order)s; our office will contact you to schedule it.",
            name=found.signed_by,
            number=found.number,
            work_order=work_order.number,
        ),
        "success",
    )
    return redirect(url_for("portal.quote", quote_id=found.id))


@bp.post(f"/quotes/<int(max={MAX_ID}):quote_id>/decline")
@portal_login_required
def decline(quote_id: int):
    """Decline the quote with a reason; a problem is shown on the page with the reason kept."""
    found = _quote(quote_id)
    try:
        decline_quote(
            found,
            request.form.get("reason", ""),
            actor=current_portal_user(),
            client_address=client_address(),
            user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        )
    except QuoteError as error:
        _end_failed_decision(error)
        return _page(found, error=error, failed="decline", kept=request.form)
    db.session.commit()
    flash(_("You declined quote %(number)s. Thank you for telling us why.", number=found.number))
    return redirect(url_for("portal.quote", quote_id=found.id))


def _notes(quote: Quote) -> dict[int, str]:
    """How each line is offered, under its description."""
    notes = {}
    for line in quote.lines:
        if line.option_group:
            notes[line.id] = _("Choose one: %(group)s", group=line.option_group)
        elif line.optional:
            notes[line.id] = _("Optional add-on")
    return notes


def _end_failed_decision(error: QuoteError) -> None:
    """Nothing of a refused decision is kept, except that an expired quote is marked so."""
    if isinstance(error, QuoteExpired):
        db.session.commit()
    else:
        db.session.rollback()


def _kept_selection(quote: Quote, chosen: list[str]):
    """What the customer had chosen, if that is still a possible choice on this quote."""
    try:
        return select_lines(quote, chosen)
    except QuoteError:
        return None


def _page(quote: Quote, *, selection=None, problems=(), error=None, failed="", kept=None):
    status = shown_status(quote)
    if status == QuoteStatus.APPROVED:
        selection = approved_selection(quote)
    selection = selection or preselection(quote)
    return render_template(
        "portal/quote.html",
        quote=quote,
        status=status,
        selection=selection,
        chosen_ids=set(selection.line_ids),
        group_index={name: n for n, name in enumerate(quote.option_groups(), start=1)},
        shown_hash=content_hash(quote),
        problems=problems,
        error=error,
        failed=failed,
        kept=kept or {},
        notes=_notes(quote),
        consent_text=CONSENT_TEXT,
        tax_rate=current_company().tax_rate_percent,
        currency=quote.currency,
    )
