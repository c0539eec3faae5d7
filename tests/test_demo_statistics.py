"""`flask seed-demo` leaves planner statistics behind (issue 16): right after a bulk seed the
portal and admin pages are planned with the real table sizes, not before autovacuum comes."""

from sqlalchemy import bindparam, text

from app.extensions import db

BIG_TABLES = ["customers", "invoices", "units", "work_order_lines", "work_orders"]
ANALYZED = {  # tables an explicit ANALYZE has read (PostgreSQL's autovacuum counts apart)
    "postgresql": "SELECT relname FROM pg_stat_user_tables"
    " WHERE last_analyze IS NOT NULL AND relname IN :tables",
    "sqlite": "SELECT DISTINCT tbl FROM sqlite_stat1 WHERE tbl IN :tables",
}


def test_the_seeded_demo_has_planner_statistics_for_its_big_tables(app, seeded_demo):
    with app.app_context():
        query = text(ANALYZED[db.engine.dialect.name])
        found = db.session.scalars(
            query.bindparams(bindparam("tables", expanding=True)), {"tables": BIG_TABLES}
        ).all()
    assert sorted(found) == BIG_TABLES
