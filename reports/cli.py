"""`flask stickers` and `flask compliance-report`: PDFs written straight to a file, no job."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.extensions import db
from qr.sheets import FORMATS, SheetError
from reports.compliance_job import compliance_report
from reports.stickers import sticker_sheet


@click.command("stickers")
@click.option("--all", "all_units", is_flag=True, help="Every unit with an active sticker.")
@click.option("--customer", "customer_id", type=int, metavar="ID", help="A customer's units.")
@click.option("--property", "property_id", type=int, metavar="ID", help="A property's units.")
@click.option("--blank", "blank_count", type=int, metavar="N", help="N new blank stickers.")
@click.option("--format", "format_name", required=True, help=f"One of: {', '.join(FORMATS)}.")
@click.option("--start", type=int, default=1, show_default=True, help="First label position.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def stickers_command(
    all_units: bool,
    customer_id: int | None,
    property_id: int | None,
    blank_count: int | None,
    format_name: str,
    start: int,
    output: Path,
) -> None:
    """Write a PDF of QR stickers to print; blank stickers are saved once the file is written."""
    params = {"format": format_name, "start": start, "all": all_units}
    for key, value in (
        ("customer_id", customer_id),
        ("property_id", property_id),
        ("blank_count", blank_count),
    ):
        if value is not None:
            params[key] = value
    drawing = output.with_name(f"{output.name}.part")  # the output appears only when whole
    try:
        with drawing.open("wb") as out:
            sheet = sticker_sheet(params, out)
    except SheetError as error:
        drawing.unlink(missing_ok=True)
        raise click.ClickException(str(error)) from error
    drawing.replace(output)
    packing = output.with_name(f"{output.stem}-packing-list")
    packing.with_suffix(".pdf").write_bytes(sheet.packing_pdf)
    packing.with_suffix(".csv").write_bytes(sheet.packing_csv)
    db.session.commit()
    click.echo(
        f"Wrote {sheet.count} stickers on {sheet.pages} page(s) to {output}, "
        f"and their packing list to {packing}.pdf and .csv."
    )


@click.command("compliance-report")
@click.option("--customer", "customer_id", type=int, required=True, metavar="ID")
@click.option("--property", "property_id", type=int, metavar="ID", help="Only this site.")
@click.option("--from", "date_from", required=True, metavar="DATE", help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", required=True, metavar="DATE", help="Last day, YYYY-MM-DD.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def compliance_report_command(
    customer_id: int, property_id: int | None, date_from: str, date_to: str, output: Path
) -> None:
    """Write a customer's EPA refrigerant compliance report (PDF) for a period to a file."""
    params = {"customer_id": customer_id, "date_from": date_from, "date_to": date_to}
    if property_id is not None:
        params["property_id"] = property_id
    try:
        report = compliance_report(params)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(report.pdf)
    click.echo(
        f"Wrote the compliance report for {report.request.customer_name} "
        f"({report.appliances} appliance(s)) to {output}."
    )
