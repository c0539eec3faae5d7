"""The benchmark's PostgreSQL databases: one per demo scale, seeded once and reused.

A database is named from a hash of the served tree's Alembic head and its demo source
(app/demo/*.py but the command-line wrapper), so a rerun with the same schema and seed reuses
it, and any tree with the same schema and seed (the baseline included) shares it. After seeding,
the bench runs VACUUM ANALYZE itself, so every tree is measured against the same planner
statistics and against tables in the state autovacuum keeps them in: with their visibility map
set, a count of the dispatch queue reads the index alone. (This machine's server runs with
autovacuum off, so without it the bulk-written tables would never get there.)
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
STATE_DIR = Path(os.environ.get("BENCH_STATE_DIR") or Path(tempfile.gettempdir()) / "tuffops-bench")
REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Seeded:
    name: str
    url: str  # SQLAlchemy URL for the app
    storage: Path  # the files the seed wrote (logo, documents)
    seed_seconds: float  # how long `flask seed-demo` took when the database was made
    reused: bool


def alembic_head(code: Path) -> str:
    """The single head revision of the tree's migrations, read from the files."""
    revisions, parents = set(), set()
    for path in (code / "migrations" / "versions").glob("*.py"):
        for down, value in REVISION.findall(path.read_text()):
            ids = set(re.findall(r"['\"]([0-9a-zA-Z_]+)['\"]", value))
            (parents if down else revisions).update(ids)
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise SystemExit(f"{code}: expected one Alembic head, found {heads}")
    return heads[0]


def schema_and_seed_hash(code: Path) -> str:
    digest = hashlib.sha256(alembic_head(code).encode())
    for path in sorted((code / "app" / "demo").glob("*.py")):
        if path.name != "cli.py":
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


def _admin(sql: str, *params) -> list[tuple]:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _exists(name: str) -> bool:
    return bool(_admin("SELECT 1 FROM pg_database WHERE datname = %s", name))


def seeded_database(code: Path, scale: int, python: str = sys.executable) -> Seeded:
    """The database for `scale`, seeded with the tree's `flask seed-demo` unless already there."""
    name = f"bench_{schema_and_seed_hash(code)}_s{scale}"
    marker = STATE_DIR / f"{name}.json"
    storage = STATE_DIR / name
    url = f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    if marker.exists() and _exists(name):
        return Seeded(name, url, storage, json.loads(marker.read_text())["seconds"], True)
    if _exists(name):
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
    shutil.rmtree(storage, ignore_errors=True)
    storage.mkdir(parents=True)
    _admin(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "STORAGE_DIR": str(storage), "FLASK_APP": "wsgi.py"}
    env.pop("REDIS_URL", None)

    def flask(*args: str) -> None:
        subprocess.run([python, "-m", "flask", *args], cwd=code, env=env, check=True)

    flask("db", "upgrade")
    print(f"seeding {name} (scale {scale}) ...", flush=True)
    started = time.perf_counter()
    flask("seed-demo", "--scale", str(scale))
    seconds = time.perf_counter() - started
    with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    marker.write_text(json.dumps({"seconds": seconds, "scale": scale}))
    return Seeded(name, url, storage, seconds, False)
