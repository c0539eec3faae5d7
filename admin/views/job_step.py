"""The base of the pages and posts that hang off the technician's job page (closing out,
recommending): the same gate and the same look-up of the job as the page itself."""

from flask import abort, redirect, url_for
from flask_admin import expose

from admin.base import LinkedStaffView
from app.auth.roles import current_staff
from app.ids import record_id
from app.queries.job import job_for


def job_or_404(work_order_id: str | int):
    """The work order if the staff member may open its job page; 404 otherwise."""
    work_order = job_for(current_staff(), record_id(work_order_id) or 0)
    if work_order is None:
        abort(404)
    return work_order


class JobStepView(LinkedStaffView):
    """Reached from the job page only."""

    area = "work"

    @expose("/")
    def index(self):
        """Nothing to show by itself: the job page leads here."""
        return redirect(url_for("job_page.index"))

    _job = staticmethod(job_or_404)
