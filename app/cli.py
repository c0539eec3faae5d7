"""Command-line tools: `flask seed-demo`, `flask create-staff`, `flask worker`,
`flask requeue-jobs`, `flask compliance-deadlines`, `flask send-reminders`,
`flask release-holds`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker
from rq.serializers import JSONSerializer

from app.demo.cli import demo_logins_command, seed_demo_command
from app.extensions import db
from app.jobs import queue_for, requeue_waiting, use_worker_app
from app.mail_cli import deliver_mail_command
from app.models.enums import StaffRole
from app.reminder_jobs import schedule_reminders
from app.services.refrigerant_ledger import note_missed_deadlines_everywhere
from app.services.reminders import send_reminders
from app.services.self_booking import release_expired_holds
from app.services.staff_accounts import create_staff


@click.command("create-staff")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), default="admin")
@click.password_option()
@with_appcontext
def create_staff_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account (the first admin of a production install)."""
    try:
        user = create_staff(email=email, name=name, role=StaffRole(role), password=password)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker for TuffOps jobs (needs REDIS_URL), with RQ's scheduler for the visit
    reminders (app.reminder_jobs; a --burst run only runs what is already due)."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException("Set REDIS_URL: without it jobs run inside the web process.")
    use_worker_app(current_app._get_current_object())
    queue = queue_for(current_app)
    requeue_waiting(current_app)
    if not burst:
        schedule_reminders(current_app)
    worker = Worker([queue], connection=queue.connection, serializer=JSONSerializer)
    worker.work(burst=burst, with_scheduler=True)


@click.command("requeue-jobs")
@with_appcontext
def requeue_jobs_command() -> None:
    """Put jobs started while Redis was down on the queue (each still runs once)."""
    click.echo(f"Queued {requeue_waiting(current_app)} waiting job(s).")


@click.command("compliance-deadlines")
@with_appcontext
def compliance_deadlines_command() -> None:
    """Run daily (cron): a missed repair or verification deadline calls for a retrofit or
    retirement plan, due 30 days after it."""
    count = note_missed_deadlines_everywhere()
    db.session.commit()
    click.echo(f"Checked the deadlines of {count} open repair episode(s).")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Run every few minutes (cron): remind customers of their visits the day before, each
    once, never in the company's quiet hours."""
    click.echo(f"Reminded {send_reminders()} visit(s).")


@click.command("release-holds")
@with_appcontext
def release_holds_command() -> None:
    """Run every few minutes (cron): tentative visits booked from a sticker that the office did
    not confirm within the company's hold time are cancelled, and their slots open again."""
    count = release_expired_holds()
    db.session.commit()
    click.echo(f"Released {count} tentative visit(s).")


commands = [
    create_staff_command,
    worker_command,
    requeue_jobs_command,
    seed_demo_command,
    demo_logins_command,
    deliver_mail_command,
    compliance_deadlines_command,
    send_reminders_command,
    release_holds_command,
]
