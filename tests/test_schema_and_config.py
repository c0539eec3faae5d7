"""Schema conventions and configuration rules that every later change must keep."""

import ast
import re
from pathlib import Path

from flask import Flask

from app import load_config
from app.extensions import db
from app.models.base import UTCDateTime

ROOT = Path(__file__).resolve().parents[1]


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
    assert missing == [], "\n".join(missing)


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


def _settings_the_config_reads() -> set[str]:
    """Every environment name app/config.py passes to _env()."""
    tree = ast.parse((ROOT / "app" / "config.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_env"
        and isinstance(node.args[0], ast.Constant)
    }


def _settings_the_readme_lists() -> set[str]:
    """The names in the first column of the README's settings table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def test_the_readme_settings_table_lists_exactly_what_the_config_reads():
    read = _settings_the_config_reads()
    assert len(read) > 10  # the parse found the settings
    assert _settings_the_readme_lists() == read


def _table_column(attribute):
    """The table column behind a sortable list column (a model attribute or a Column)."""
    prop = getattr(attribute, "property", None)
    return prop.columns[0] if prop is not None else attribute


def test_every_column_a_list_sorts_by_is_indexed(app):
    from tests.helpers import model_views

    sorted_by = []
    for view in model_views(app):
        sorted_by += [(view.endpoint, _table_column(c)) for c in view._sortable_columns.values()]
        if view.column_default_sort:
            default = getattr(view.model, view.column_default_sort[0])
            sorted_by.append((view.endpoint, _table_column(default)))
    assert len(sorted_by) > 50
    missing = sorted(
        {
            f"{column.table.name}.{column.name} ({endpoint})"
            for endpoint, column in sorted_by
            if column.name not in _indexed_first_columns(column.table)
        }
    )
    assert missing == [], "\n".join(missing)
