"""Recommend on the job page: the technician's finding (what, why, photos, one price-book item
or good / better / best) becomes a draft quote, kept for the office or sent on the spot."""

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from admin.views.job_step import JobStepView
from app.auth.roles import current_staff
from app.extensions import db
from app.ids import record_id
from app.queries.price_book import offered_items
from app.services.findings import Finding, FindingError, recommend
from app.services.quote_errors import QuoteError

# The form field a FindingError's `field` is shown at.
FIELDS = {"what": "what", "why": "why", "items": "good", "photos": "photos"}


class FindingForm(FlaskForm):
    what = StringField(_l("What needs doing"), validators=[Length(max=200)])
    why = TextAreaField(_l("Why (the customer reads this)"), validators=[Length(max=4000)])
    good = SelectField(_l("Recommended item (or Good)"), validate_choice=False)
    better = SelectField(_l("Better (optional)"), validate_choice=False)
    best = SelectField(_l("Best (optional)"), validate_choice=False)
    photos = MultipleFileField(_l("Photos"))
    keep = SubmitField(_l("Save for the office to send"))
    send = SubmitField(_l("Send to the customer now"))

    def offer(self, items) -> "FindingForm":
        """Offer the price book's items in each of the three choices."""
        choices = [("", _("None")), *((str(item.id), str(item)) for item in items)]
        for choice in (self.good, self.better, self.best):
            choice.choices = choices
        return self

    def finding(self) -> Finding:
        ids = (record_id(c.data) for c in (self.good, self.better, self.best))
        return Finding(
            what=self.what.data or "",
            why=self.why.data or "",
            item_ids=tuple(i for i in ids if i),
            photos=tuple(self.photos.data or ()),
        )


class JobFindingsView(JobStepView):
    def _form_page(self, work_order, form, status: int = 200):
        return self.render("admin/job/recommend.html", wo=work_order, form=form), status

    @expose("/<work_order_id>", methods=("GET",))
    def new(self, work_order_id: str):
        work_order = self._job(work_order_id)
        return self._form_page(work_order, FindingForm(formdata=None).offer(offered_items()))

    @expose("/<work_order_id>", methods=("POST",))
    def create(self, work_order_id: str):
        work_order = self._job(work_order_id)
        form = FindingForm().offer(offered_items())
        if not form.validate_on_submit():
            return self._form_page(work_order, form, 400)
        try:
            quote = recommend(
                work_order, form.finding(), actor=current_staff(), send_now=bool(form.send.data)
            )
        except FindingError as error:
            db.session.rollback()
            getattr(form, FIELDS.get(error.field, "what")).errors = [str(error)]
            return self._form_page(work_order, form, 400)
        except QuoteError as error:
            db.session.rollback()
            form.what.errors = [str(error)]
            return self._form_page(work_order, form, 400)
        db.session.commit()
        flash(_sent(quote) if form.send.data else _kept(quote), "success")
        return redirect(url_for("job_page.page", work_order_id=work_order.id) + "#close-out")


def _kept(quote) -> str:
    return _("Quote %(number)s is drafted for the office to send.", number=quote.number)


def _sent(quote) -> str:
    return _(
        "Quote %(number)s is sent: the customer can approve it in the portal.", number=quote.number
    )
