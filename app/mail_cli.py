"""`flask deliver-mail`: send the outbox's due mail, retries included (cron or a sidecar)."""

import time

import click
from flask.cli import with_appcontext

from app.mail import BATCH_SIZE, deliver_pending


@click.command("deliver-mail")
@click.option("--loop", is_flag=True, help="Keep running, checking every --interval seconds.")
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=30.0,
    show_default=True,
    help="Seconds between checks with --loop.",
)
@with_appcontext
def deliver_mail_command(loop: bool, interval: float) -> None:
    """Send every outgoing e-mail that is due, once or (with --loop) until stopped."""
    while True:
        sent, failed = deliver_pending()
        if sent or failed or not loop:
            click.echo(f"Sent {sent}, failed {failed}.")
        if not loop:
            return
        if sent + failed < BATCH_SIZE:  # a full batch means more may be waiting right now
            time.sleep(interval)
