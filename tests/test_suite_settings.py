"""The suite passes whatever the shell exports: a developer's DATABASE_URL, SECRET_KEY or
PUBLIC_BASE_URL (or the same in .env) never reaches the test app."""

import os
import subprocess
import sys

from app.config import BASE_DIR

EXPORTED = {
    "DATABASE_URL": "postgresql://someone@db.example.com/production",
    "SECRET_KEY": "a-developers-own-secret",
    "PUBLIC_BASE_URL": "https://service.example.com",
}
# Tests that read each of those settings: the sticker URL, the secret, a page from the database.
SUBSET = [
    "tests/test_sticker_sheets.py::test_every_sticker_scans_to_its_unit_in_its_slot_with_the_words_beside_it[avery-5160]",
    "tests/test_production_settings.py::test_outside_production_the_development_secret_is_accepted",
    "tests/test_clean_tables.py::test_a_write_through_another_app_empties_the_tables",
]


def test_a_subset_passes_with_settings_exported():
    run = subprocess.run(  # noqa: S603  (our own interpreter and tests)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUBSET],
        cwd=BASE_DIR,
        # On SQLite in a folder of its own, whatever database this run (or worker) is on.
        env={**os.environ, **EXPORTED, "TEST_DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout
