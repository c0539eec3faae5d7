"""Demo data for trying TuffOps out and for benchmarks (`flask seed-demo`).

One scale copy is a contractor with 25 customers, about 100 units and two years of history;
`scale` copies of it are built in blocks and written with batched inserts. Files (the logo,
documents, photos) go to the app's storage.
"""

import random
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.demo.accounts import (
    BRAND_COLOR,
    COMPANY_NAME,
    DEMO_LOGINS,
    TAX_RATE_PERCENT,
    TECHNICIAN_PASSWORD,
    TIME_ZONE,
    DemoLogin,
    add_company,
    add_staff,
)
from app.demo.billing import write_invoices, write_quotes
from app.demo.closeout import close_out_household_jobs
from app.demo.compliance import add_compliance_story
from app.demo.context import Demo
from app.demo.conversations import write_messages
from app.demo.files import store_logo, write_files
from app.demo.household import tell_household_stories
from app.demo.pricebook import write_price_book
from app.demo.profiles import CUSTOMER_PLANS
from app.demo.requests import plan_requests, write_requests
from app.demo.schedules import write_hours, write_visits
from app.demo.sites import SiteBuilder
from app.demo.visits import plan_orders
from app.demo.work import write_orders
from app.demo.writer import RowWriter
from app.extensions import db

__all__ = ["DEFAULT_SEED", "DEMO_LOGINS", "TECHNICIAN_PASSWORD", "DemoLogin", "seed_demo"]

DEFAULT_SEED = 608
BLOCK_COPIES = 10  # scale copies planned and written together: big batches, bounded memory


def seed_demo(scale: int = 1, seed: int = DEFAULT_SEED, *, now: datetime | None = None) -> Counter:
    """Add `scale` copies of the demo contractor's data to an empty database; rows per table.

    The same `seed` and `now` give the same data. The caller commits.
    """
    writer = RowWriter(db.session)
    demo = Demo(
        random.Random(seed), now or datetime.now(UTC), ZoneInfo(TIME_ZONE), TAX_RATE_PERCENT, writer
    )
    brand = (COMPANY_NAME, BRAND_COLOR)
    add_company(demo, logo_key=store_logo(*brand))
    staff = add_staff(demo, scale)
    write_hours(demo, staff.crews)
    write_price_book(demo)
    sites = SiteBuilder(demo)
    for first in range(0, scale, BLOCK_COPIES):
        customers = sites.build(staff.crews[first : first + BLOCK_COPIES])
        orders = tell_household_stories(demo, customers, plan_orders(demo, customers))
        write_requests(demo, plan_requests(demo, customers, orders))
        write_orders(demo, orders)
        write_visits(demo, orders)
        write_invoices(demo, orders)
        write_quotes(demo, customers, orders)
        write_messages(demo, customers, orders, staff.dispatcher_id)
        write_files(demo, customers, orders, brand)
        db.session.flush()
        close_out_household_jobs(demo, orders, staff.dispatcher_id)
    db.session.flush()
    add_compliance_story(demo, len(CUSTOMER_PLANS))
    db.session.flush()
    return writer.counts
