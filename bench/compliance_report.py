"""How long the EPA compliance report takes: 200 appliances × 5 years (pure builder, no database).

.venv/bin/python bench/compliance_report.py
.venv/bin/python bench/compliance_report.py --appliances 50 --years 3 -o /tmp/report.pdf
"""

import argparse
import io
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("addition", "leak_inspection", "repair", "recovery", "initial_verification")


def synthetic_report(appliances: int, years: int, seed: int = 7):
    """A report with `appliances` appliances and about 8 events each per year."""
    from reports.compliance_pdf import (
        Appliance,
        ChargeRecord,
        ChronicYear,
        ComplianceReport,
        Deadline,
        Episode,
        LeakRateRecord,
        ServiceEvent,
        Site,
        Technician,
    )

    rng = random.Random(seed)
    end = date(2026, 11, 1)
    start = end.replace(year=end.year - years)
    techs = [(f"Technician {n}", f"608-{n:06d}") for n in range(12)]
    sites = tuple(
        Site(f"Store {n}", f"{100 + n} Main Street, Springfield, IL 62701", "annualizing")
        for n in range(10)
    )
    units = []
    for number in range(appliances):
        charge = Decimal(rng.choice((20, 45, 80, 150, 600)))
        events, last_addition = [], None
        day = start + timedelta(days=rng.randint(0, 40))
        while day <= end:
            kind = rng.choice(KINDS)
            tech, cert = rng.choice(techs)
            rate = None
            added = Decimal(0)
            if kind == "addition":
                added = Decimal(rng.randint(1, 80)) / 4
                days = min((day - last_addition).days, 365) if last_addition else 365
                percent = added / charge * 365 / days * 100
                rate = LeakRateRecord(
                    percent=f"{percent:.2f}",
                    method="annualizing",
                    regime="part84",
                    threshold=20,
                    exceeded=percent > 20,
                    full_charge_lb=str(charge),
                    pounds_counted=str(added),
                    days=days,
                    previous_addition_on=last_addition.isoformat() if last_addition else None,
                )
                last_addition = day
            events.append(
                ServiceEvent(
                    day=day,
                    kind=kind,
                    pounds_added=added,
                    technician=tech,
                    certification_number=cert,
                    leak_location=rng.choice(("", "TXV flare nut", "condenser coil, return bend")),
                    notes=rng.choice(
                        ("", "Tightened fitting and checked with electronic detector.")
                    ),
                    leak_rate=rate,
                )
            )
            day += timedelta(days=rng.randint(20, 70))
        episodes = tuple(
            Episode(
                discovered_on=e.day,
                status="closed",
                leak_rate_percent=e.leak_rate.percent,
                threshold_percent=20,
                repaired_on=e.day + timedelta(days=12),
                closed_on=e.day + timedelta(days=24),
                leak_locations=("TXV flare nut",),
                deadlines=(
                    Deadline("repair", e.day + timedelta(days=30), e.day + timedelta(days=12)),
                    Deadline(
                        "initial_verification", e.day + timedelta(days=30), e.day + timedelta(14)
                    ),
                    Deadline(
                        "followup_verification", e.day + timedelta(days=24), e.day + timedelta(24)
                    ),
                ),
                tests=(
                    ServiceEvent(e.day + timedelta(14), "initial_verification", test_passed=True),
                    ServiceEvent(e.day + timedelta(24), "followup_verification", test_passed=True),
                ),
            )
            for e in events
            if e.leak_rate is not None and e.leak_rate.exceeded
        )[:6]
        units.append(
            Appliance(
                code=f"AB{number:02d}-CD{number % 97:02d}",
                name=f"Walk-in {number}",
                site=sites[number % len(sites)].name,
                category="commercial_refrigeration",
                refrigerant="R-404A",
                regimes=("part84",),
                full_charge_lb=charge,
                charge_method="manufacturer",
                install_date=date(2018, 5, 1),
                excluded_subsector=False,
                facility_method="annualizing",
                charge_revisions=(ChargeRecord(date(2019, 1, 1), charge, "measurement"),),
                inspection_frequency="yearly",
                events=tuple(events),
                episodes=episodes,
                chronic_years=tuple(
                    ChronicYear(year, "42.00", charge, False, date(year + 1, 3, 1))
                    for year in range(start.year, end.year + 1)
                ),
            )
        )
    return ComplianceReport(
        company="Polar Bear Heating & Air",
        customer="Big Grocery Co.",
        sites=sites,
        date_from=start,
        date_to=end,
        data_through=end,
        generated_at=datetime.now(ZoneInfo("America/Chicago")),
        appliances=tuple(units),
        technicians=tuple(Technician(name, cert, 100) for name, cert in techs),
        interpretations=("Synthetic data for a benchmark.",),
    )


def main() -> None:
    """Build one report and print seconds, pages and PDF size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appliances", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("-o", "--output", type=Path, help="also write the PDF here")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from pypdf import PdfReader

    from reports.compliance_pdf import build_report

    report = synthetic_report(args.appliances, args.years)
    events = sum(len(a.events) for a in report.appliances)
    began = time.perf_counter()
    pdf = build_report(report)
    seconds = time.perf_counter() - began
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if args.output:
        args.output.write_bytes(pdf)
    print(
        f"{args.appliances} appliances × {args.years} years ({events} events): "
        f"{seconds:.2f} s, {pages} pages, {len(pdf) / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
