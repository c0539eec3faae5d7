"""`flask seed-demo`: fill an empty database with the demo contractor's data."""

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.demo import DEFAULT_SEED, DEMO_LOGINS, TECHNICIAN_PASSWORD, seed_demo
from app.demo.accounts import DEMO_DOMAIN, TECHNICIANS_PER_COPY
from app.demo.writer import (
    delete_all_rows,
    missing_tables,
    refresh_planner_statistics,
    tables_with_rows,
)
from app.extensions import db
from app.models import Customer, PortalUser, Property, RepairEpisode, Unit
from app.models.enums import CustomerKind, EpisodeStatus

SUMMARY = (
    ("customers", "customers"),
    ("properties", "properties"),
    ("units", "units"),
    ("staff_users", "staff"),
    ("portal_users", "portal users"),
    ("work_orders", "work orders"),
    ("work_order_lines", "work order lines"),
    ("invoices", "invoices"),
    ("payments", "payments"),
    ("quotes", "quotes"),
    ("service_requests", "service requests"),
    ("messages", "messages"),
    ("documents", "documents"),
    ("work_order_photos", "work order photos"),
    ("refrigerant_events", "refrigerant events"),
)


@click.command("seed-demo")
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Copies of the demo data (25 customers and ~550 work orders each).",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option("--reset", is_flag=True, help="Delete every row first (the schema stays).")
@click.option(
    "--if-empty", is_flag=True, help="Seed only an empty database; otherwise leave it as it is."
)
@with_appcontext
def seed_demo_command(scale: int, seed: int, reset: bool, if_empty: bool) -> None:
    """Fill an empty database with a believable HVAC contractor's demo data."""
    missing = missing_tables()
    if missing:
        raise click.ClickException(
            f"The database has no {missing[0]} table yet; run `flask db upgrade` first."
        )
    if reset:
        delete_all_rows()
    elif (filled := tables_with_rows()) and if_empty:
        click.echo("The database already has data; keeping it (no demo seeding).")
        _print_logins()
        return
    elif filled:
        raise click.ClickException(
            f"The database already has data (in {', '.join(filled)}); nothing was changed. "
            "Run `flask seed-demo --reset` to delete all of it and seed the demo instead."
        )
    started = time.perf_counter()
    counts = seed_demo(scale, seed)
    db.session.commit()
    refresh_planner_statistics()
    db.session.commit()
    elapsed = time.perf_counter() - started
    _print_logins(scale)
    summary = ", ".join(f"{counts[table]:,} {label}" for table, label in SUMMARY)
    click.echo(f"Seeded in {elapsed:.1f} s: {summary}.")


def _print_logins(scale: int = 1) -> None:
    click.echo("Demo sign-ins:")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role.value:<11} {login.email:<28} {login.password}")
    if scale > 1:
        first, last = TECHNICIANS_PER_COPY + 1, TECHNICIANS_PER_COPY * scale
        click.echo(
            f"  technicians tech{first}@{DEMO_DOMAIN} to tech{last}@{DEMO_DOMAIN}"
            f" also use {TECHNICIAN_PASSWORD}"
        )
    customers = demo_portal_users()
    if customers:
        click.echo("Customer portal (/portal/login; the sign-in link arrives at /dev/mail/):")
        for label, user in customers:
            click.echo(f"  {label:<26} {user.email:<34} {user.customer.name}")


def demo_portal_users() -> list[tuple[str, PortalUser]]:
    """A household with two properties, and a commercial customer with an open leak repair."""
    several = select(Property.customer_id).group_by(Property.customer_id).having(func.count() > 1)
    household = db.session.scalar(
        select(PortalUser)
        .join(PortalUser.customer)
        .where(Customer.kind == CustomerKind.RESIDENTIAL, Customer.id.in_(several))
        .order_by(PortalUser.id)
        .limit(1)
    )
    business = db.session.scalar(
        select(PortalUser)
        .join(PortalUser.customer)
        .join(Property, Property.customer_id == Customer.id)
        .join(Unit, Unit.property_id == Property.id)
        .join(RepairEpisode, RepairEpisode.unit_id == Unit.id)
        .where(RepairEpisode.status == EpisodeStatus.OPEN, RepairEpisode.repaired_on.is_not(None))
        .order_by(RepairEpisode.discovered_on.desc(), PortalUser.id)
        .limit(1)
    )
    found = [("two properties", household), ("commercial, compliance", business)]
    return [(label, user) for label, user in found if user is not None]


@click.command("demo-logins")
@with_appcontext
def demo_logins_command() -> None:
    """Print the demo sign-ins that `flask seed-demo` creates."""
    _print_logins()
