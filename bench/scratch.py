"""A throwaway TuffOps app for benchmarks: an empty SQLite database and storage in a temp folder."""

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def scratch_app() -> Iterator:
    """Inside an app context of a fresh app whose tables exist; everything is deleted after."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.extensions import db

    with tempfile.TemporaryDirectory(prefix="tuffops-bench-") as directory:
        app = create_app(
            {
                "ENV_NAME": "development",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
                "STORAGE_DIR": directory,
            }
        )
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()
