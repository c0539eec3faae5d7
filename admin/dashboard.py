"""The admin home page: today's work at a glance, shown by what the role may see."""

from flask import url_for
from flask_admin import AdminIndexView, expose

from app.auth.redirects import to_sign_in
from app.auth.roles import access_to, current_staff
from app.services import dashboard
from app.services.company import local_today
from app.services.messages import unread_for_office


class DashboardView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_staff() is not None

    def inaccessible_callback(self, name, **kwargs):
        return to_sign_in()

    @expose("/")
    def index(self):
        staff = current_staff()
        today = local_today()
        sections = {"visits": dashboard.todays_visits(staff, today)}
        if access_to("requests"):
            sections["requests"] = dashboard.new_requests()
        if access_to("billing"):
            sections["overdue"] = dashboard.overdue_invoices(today)
            sections["card_problems"] = dashboard.card_payments_needing_attention()
        if access_to("jobs"):
            sections["failed_deliveries"] = dashboard.failed_customer_jobs()
        if access_to("audit"):
            sections["undelivered_mail"] = dashboard.undelivered_mail()
        if access_to("compliance"):
            sections["compliance"] = dashboard.compliance_due(today)
        if access_to("conversations"):
            sections["unread_messages"] = unread_for_office(staff)
        board_url = url_for("board.index") if access_to("requests") else None
        return self.render("admin/dashboard.html", today=today, board_url=board_url, **sections)
