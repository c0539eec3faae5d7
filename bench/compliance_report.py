"""How long the EPA compliance report takes for 100 and 200 appliances × 5 years, from a
database, and whether it grows linearly.

For each size, seeds a temporary SQLite database (one commercial customer, 10 sites, the
appliances and about 8 refrigerant events each per year), recomputes every leak rate, episode
and obligation as the service does, then times loading the records (and counts the queries)
and building the PDF. Last, the ratio of the largest size's loading + building to the
smallest's, in CPU seconds of this process (steady on a busy machine) and in wall seconds;
linear is 2.0 for 200 against 100.

.venv/bin/python bench/compliance_report.py
.venv/bin/python bench/compliance_report.py --appliances 50 --years 3 -o /tmp/report.pdf
"""

import argparse
import io
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = 10
# (category, refrigerant, full charges to pick from)
APPLIANCES = (
    ("commercial_refrigeration", "R-404A", (20, 45, 80, 150, 600)),
    ("commercial_refrigeration", "R-448A", (18, 60, 120)),
    ("comfort_cooling", "R-134a", (180, 250, 320)),
    ("comfort_cooling", "R-22", (60, 120)),
    ("industrial_process_refrigeration", "R-507A", (300, 800)),
)
# Kinds of visit and how often each comes up.
VISITS = (
    ("addition", 3),
    ("leak_inspection", 3),
    ("repair", 1),
    ("initial_verification", 1),
    ("followup_verification", 1),
    ("recovery", 1),
)


def seed(appliances: int, years: int, rng: random.Random) -> tuple[int, date, date]:
    """Write the records with batched inserts; (customer id, first day, last day)."""
    from app.demo.writer import RowWriter
    from app.extensions import db
    from app.models import (
        ChargeRevision,
        CompanySettings,
        Customer,
        Property,
        RefrigerantEvent,
        StaffUser,
        Unit,
    )

    writer = RowWriter(db.session)
    end = date.today() - timedelta(days=1)
    start = end.replace(year=end.year - years)
    now = datetime.now(UTC)
    writer.insert(CompanySettings, [{"name": "Polar Bear Heating & Air", "created_at": now}])
    techs = writer.insert_returning_ids(
        StaffUser,
        [
            {
                "email": f"tech{n}@bench.example",
                "name": f"Technician {n}",
                "role": "technician",
                "password_hash": "",
                "epa_certification_number": f"608-{n:06d}",
                "created_at": now,
            }
            for n in range(12)
        ],
    )
    [customer] = writer.insert_returning_ids(
        Customer, [{"name": "Big Grocery Co.", "kind": "commercial", "created_at": now}]
    )
    sites = writer.insert_returning_ids(
        Property,
        [
            {
                "customer_id": customer,
                "name": f"Store {n}",
                "address_line1": f"{100 + n} Main Street",
                "city": "Springfield",
                "state": "IL",
                "postal_code": "62701",
                "leak_rate_method": "rolling_average" if n % 3 == 0 else "annualizing",
                "created_at": now,
            }
            for n in range(SITES)
        ],
    )
    units, charges = [], []
    installed = start - timedelta(days=400)
    for number in range(appliances):
        category, refrigerant, sizes = APPLIANCES[number % len(APPLIANCES)]
        charge = Decimal(rng.choice(sizes))
        charges.append(charge)
        units.append(
            {
                "property_id": sites[number % SITES],
                "name": f"Appliance {number}",
                "kind": "walk_in_cooler" if "refrigeration" in category else "chiller",
                "install_date": installed,
                "refrigerant_type": refrigerant,
                "full_charge_lb": charge,
                "charge_method": "manufacturer",
                "epa_appliance_type": category,
                "created_at": now,
            }
        )
    unit_ids = writer.insert_returning_ids(Unit, units)
    writer.insert(
        ChargeRevision,
        [
            {
                "unit_id": unit_id,
                "effective_on": installed,
                "full_charge_lb": charge,
                "method": "manufacturer",
                "created_at": now,
            }
            for unit_id, charge in zip(unit_ids, charges, strict=True)
        ],
    )
    kinds = [kind for kind, weight in VISITS for _ in range(weight)]
    events = []
    for unit_id, charge in zip(unit_ids, charges, strict=True):
        day = start + timedelta(days=rng.randint(0, 40))
        while day <= end:
            kind = rng.choice(kinds)
            added = Decimal(rng.randint(1, 40)) / 400 * charge if kind == "addition" else 0
            events.append(
                {
                    "unit_id": unit_id,
                    "technician_id": rng.choice(techs),
                    "kind": kind,
                    "occurred_at": datetime(day.year, day.month, day.day, 17, tzinfo=UTC),
                    "pounds_added": Decimal(added).quantize(Decimal("0.01")),
                    "pounds_removed": Decimal(0),
                    "pounds_returned": Decimal(0),
                    "certification_number": "608-000000",
                    "leak_location": rng.choice(("", "TXV flare nut", "condenser coil")),
                    "test_passed": True if "verification" in kind else None,
                    "notes": rng.choice(("", "Tightened fitting, checked with a detector.")),
                    "leak_rate_inputs": {},
                    "created_at": now,
                }
            )
            day += timedelta(days=rng.randint(20, 70))
    writer.insert(RefrigerantEvent, events)
    db.session.flush()
    return customer, start, end


def main() -> None:
    """Report once per size, then how the time grew from the smallest size to the largest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appliances", type=int, nargs="+", default=[100, 200])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, help="also write the (last) PDF here")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    times = {
        count: report_once(count, args.years, args.seed, args.output) for count in args.appliances
    }
    if len(times) > 1:
        small, large = min(times), max(times)
        cpu, wall = (times[large][i] / times[small][i] for i in (0, 1))
        print(
            f"{large} against {small} appliances, loading + building: {cpu:.2f}× in CPU "
            f"seconds, {wall:.2f}× in wall seconds (linear: {large / small:.2f}×)"
        )


def report_once(appliances: int, years: int, seed_number: int, output: Path | None):
    """Seed, recompute, load and build once; print each step's time and the report's size, and
    return loading + building in (CPU seconds, wall seconds)."""
    from pypdf import PdfReader
    from scratch import scratch_app
    from sqlalchemy import event, func, select

    from app.extensions import db
    from app.models import RefrigerantEvent, Unit
    from app.services.refrigerant_ledger import rebuild_compliance
    from reports.compliance import ReportRequest, load_report
    from reports.compliance_pdf import build_report

    with scratch_app():
        began = time.perf_counter()
        customer, start, end = seed(appliances, years, random.Random(seed_number))
        db.session.commit()
        seeded = time.perf_counter() - began
        events = db.session.scalar(select(func.count()).select_from(RefrigerantEvent))

        began = time.perf_counter()
        for unit in db.session.scalars(select(Unit).order_by(Unit.id)).all():
            rebuild_compliance(unit)
        db.session.commit()
        recomputed = time.perf_counter() - began

        db.session.expire_all()
        statements = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        began, cpu_began = time.perf_counter(), time.process_time()
        data = load_report(ReportRequest(customer, "Big Grocery Co.", None, start, end))
        loaded = time.perf_counter() - began
        event.remove(db.engine, "before_cursor_execute", listener)

        began = time.perf_counter()
        pdf = build_report(data)
        built = time.perf_counter() - began
        cpu = time.process_time() - cpu_began
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if output:
        output.write_bytes(pdf)
    print(f"{appliances} appliances × {years} years, {events:,} refrigerant events")
    print(f"  seeding the database      {seeded:6.2f} s")
    print(f"  recomputing leak rates    {recomputed:6.2f} s ({events / recomputed:,.0f} events/s)")
    print(f"  loading the report        {loaded:6.2f} s ({len(statements)} queries)")
    print(f"  building the PDF          {built:6.2f} s ({pages:,} pages, {len(pdf) / 1e6:.2f} MB)")
    print(f"  loading + building        {loaded + built:6.2f} s ({cpu:.2f} CPU s)")
    return cpu, loaded + built


if __name__ == "__main__":
    main()
