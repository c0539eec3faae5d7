"""The admin home page: today's work, what is due this week and what is overdue, and charts,
shown by what the role may see."""

from datetime import UTC, datetime

from flask import url_for
from flask_admin import AdminIndexView, expose
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.auth.redirects import to_sign_in
from app.auth.roles import access_to, current_staff
from app.charts import Bar, bar_chart
from app.models.enums import RequestSource
from app.queries import dashboard
from app.queries import dashboard_charts as figures
from app.queries import dashboard_close_out as close_out
from app.services.messages import unread_for_office


def _dollars(value: float) -> str:
    return f"${value:,.0f}"


def _money_chart(title: str, headers: tuple[str, str], pairs, empty: str) -> Markup:
    bars = [Bar(label, cents / 100) for label, cents in pairs]
    return bar_chart(title, bars, headers=headers, empty=empty, fmt=_dollars)


def billing_charts(week: dashboard.Week) -> list[Markup]:
    aging_labels = {
        "current": _("Not yet due"),
        "1-30": _("1–30 days late"),
        "31-60": _("31–60 days late"),
        "61-90": _("61–90 days late"),
        "90+": _("Over 90 days late"),
    }
    aging = [
        (aging_labels[bucket], cents) for bucket, cents in figures.receivables_aging(week.today)
    ]
    revenue = [
        (format_date(start, "MMM y"), cents)
        for start, cents in figures.revenue_by_month(week.today)
    ]
    return [
        _money_chart(
            _("Unpaid invoices by age"), (_("Age"), _("Balance")), aging, _("Nothing is owed.")
        ),
        _money_chart(
            _("Payments received by month"),
            (_("Month"), _("Received")),
            revenue,
            _("No payments in the last six months."),
        ),
    ]


def office_charts(week: dashboard.Week) -> list[Markup]:
    source_labels = {
        RequestSource.QR: _("QR sticker"),
        RequestSource.PORTAL: _("Portal"),
        RequestSource.PHONE: _("Phone"),
    }
    jobs = [Bar(name, count) for name, count in figures.jobs_per_technician(week)]
    sources = [
        Bar(source_labels[source], count)
        for source, count in figures.requests_by_source(week.today)
    ]
    return [
        bar_chart(
            _("Work orders per technician this week"),
            jobs,
            headers=(_("Technician"), _("Work orders")),
            empty=_("No work orders scheduled this week."),
        ),
        bar_chart(
            _("Service requests by source, last 30 days"),
            sources,
            headers=(_("Source"), _("Requests")),
            empty=_("No service requests in the last 30 days."),
        ),
    ]


class DashboardView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_staff() is not None

    def inaccessible_callback(self, name, **kwargs):
        return to_sign_in()

    @expose("/")
    def index(self):
        staff = current_staff()
        week = dashboard.week_of(datetime.now(UTC))
        sections = {"visits": dashboard.todays_visits(staff, week.today), "charts": []}
        if access_to("requests"):
            sections["requests"] = dashboard.new_requests()
            sections["answers"] = dashboard.customer_answers()
            sections["charts"] += office_charts(week)
        if access_to("billing"):
            sections["overdue"] = dashboard.overdue_invoices(week)
            sections["invoices_due"] = dashboard.invoices_due_this_week(week)
            sections["card_problems"] = dashboard.card_payments_needing_attention()
            sections["close_out"] = {
                "review": close_out.waiting_for_review(),
                "signed": close_out.signed_today(week.today),
                "unsigned": close_out.not_signed(),
                "drafts": close_out.drafted_invoices(),
            }
            sections["charts"] = billing_charts(week) + sections["charts"]
        if access_to("jobs"):
            sections["failed_deliveries"] = dashboard.failed_customer_jobs()
        if access_to("audit"):
            sections["undelivered_mail"] = dashboard.undelivered_mail()
        if access_to("compliance"):
            sections["compliance_due"] = dashboard.compliance_due_this_week(week)
            sections["compliance_overdue"] = dashboard.compliance_overdue(week)
        if access_to("conversations"):
            sections["unread_messages"] = unread_for_office(staff)
        board_url = url_for("board.index") if access_to("requests") else None
        return self.render(
            "admin/dashboard.html", today=week.today, week=week, board_url=board_url, **sections
        )
