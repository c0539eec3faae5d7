"""Command-line tools: `flask seed-demo`, `flask create-staff`."""

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.models.enums import StaffRole
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


commands = [create_staff_command]
