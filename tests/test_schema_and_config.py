"""Schema conventions and configuration rules that every later change must keep."""

from flask import Flask

from app import load_config
from app.extensions import db
from app.models.base import UTCDateTime


def _indexed_first_columns(table) -> set[str]:
    first = set()
    for index in table.indexes:
        first.add(list(index.columns)[0].name)
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__class__.__name__ in (
            "UniqueConstraint",
            "PrimaryKeyConstraint",
        ):
            first.add(columns[0].name)
    return first | {c.name for c in table.columns if c.unique or c.index}


def test_every_foreign_key_is_indexed():
    missing = [
        f"{table.name}.{fk.parent.name}"
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.parent.name not in _indexed_first_columns(table)
    ]
    assert missing == []


def test_money_is_integer_cents_and_timestamps_are_utc():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_cents"):
                assert column.type.python_type is int, column
            if column.name.endswith("_at"):
                assert isinstance(column.type, UTCDateTime), column


def test_rate_limits_use_redis_when_it_is_configured():
    app = Flask("probe")
    load_config(app, {"ENV_NAME": "development", "REDIS_URL": "redis://cache:6379/0"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    app = Flask("probe")
    load_config(app, {"ENV_NAME": "development", "REDIS_URL": None})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
