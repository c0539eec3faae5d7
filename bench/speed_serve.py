"""Gunicorn (2 sync workers) serving a tree's app, or the bare Flask hello, for the benchmark."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.speed_db import STATE_DIR, Seeded

BENCH_DIR = Path(__file__).resolve().parent
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ended at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port} within 60 s; see {log}")


@contextmanager
def gunicorn(
    code: Path, target: str, database: Seeded | None = None, query_log: Path | None = None
) -> Iterator[str]:
    """The base URL of gunicorn serving `target` ("speed_wsgi:app", "speed_hello:app")."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PUBLIC_BASE_URL": base_url, "LOG_LEVEL": "WARNING"}
    for name in ("REDIS_URL", "BENCH_QUERY_LOG", "TUFFOPS_ENV"):
        env.pop(name, None)
    if database is not None:
        env |= {"DATABASE_URL": database.url, "STORAGE_DIR": str(database.storage)}
    if query_log is not None:
        env["BENCH_QUERY_LOG"] = str(query_log)
    log = STATE_DIR / f"gunicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={code}",
        f"--pythonpath={BENCH_DIR}",
        target,
    ]
    with open(log, "w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(port, process, log)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.unlink(missing_ok=True)
