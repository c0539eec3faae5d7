"""How long `flask seed-demo --scale N` takes on a fresh SQLite database, and what it writes.

.venv/bin/python bench/seed_scale.py            # scale 200: 5,000 customers, ~100k work orders
.venv/bin/python bench/seed_scale.py --scale 20
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Seed a temporary SQLite database at the given scale and print the time and row counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=200, help="copies of the demo (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (the demo's default)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from scratch import scratch_app
    from sqlalchemy import func, select

    from app.demo import DEFAULT_SEED, seed_demo
    from app.extensions import db
    from app.models import Customer, Invoice, Unit, WorkOrder, WorkOrderLine

    with scratch_app():
        started = time.perf_counter()
        counts = seed_demo(args.scale, DEFAULT_SEED if args.seed is None else args.seed)
        db.session.commit()
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        print(f"scale {args.scale}: {elapsed:.1f} s, {rows:,} rows ({rows / elapsed:,.0f}/s)")
        for label, model in (
            ("work orders", WorkOrder),
            ("work order lines", WorkOrderLine),
            ("invoices", Invoice),
            ("units", Unit),
            ("customers", Customer),
        ):
            stored = db.session.scalar(select(func.count()).select_from(model))
            print(f"  {label:<18}{stored:>10,}")
        print("  all tables: " + ", ".join(f"{name} {n:,}" for name, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
