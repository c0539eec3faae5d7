""".ci/run checks the services the test URLs name before it runs the tests.

The script runs from a copy of the repository's layout whose `dev` only reports that it was
called, so the check is tested without starting a second test suite.
"""

import os
import shutil
import socket
import subprocess
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE_DEV = '#!/bin/sh\necho "dev $*"\n'


def _listening(stack: ExitStack) -> int:
    """A local port that accepts connections until the test ends."""
    server = stack.enter_context(socket.socket())
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server.getsockname()[1]


def _closed(stack: ExitStack) -> int:
    """A local port that refuses connections until the test ends: bound here, so no other
    process can start listening on it, but never listening."""
    held = stack.enter_context(socket.socket())
    held.bind(("127.0.0.1", 0))
    return held.getsockname()[1]


def _run_ci(tmp_path: Path, database_url: str, redis_url: str) -> subprocess.CompletedProcess:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in (("dev", FAKE_DEV), ("bin/chromium", ""), ("bin/pdftoppm", "")):
        (tmp_path / name).write_text(body or "#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "TEST_DATABASE_URL": database_url,
        "TEST_REDIS_URL": redis_url,
    }
    return subprocess.run(  # noqa: S603  (a copy of our own script)
        [str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=30
    )


def test_ci_checks_the_hosts_and_ports_in_the_test_urls(tmp_path):
    with ExitStack() as stack:
        database_port, redis_port = _listening(stack), _closed(stack)
        ci = _run_ci(
            tmp_path,
            f"postgresql+psycopg://ci:s3cret@127.0.0.1:{database_port}/test",
            f"redis://127.0.0.1:{redis_port}/0",
        )
    assert ci.returncode == 1
    assert f"CI needs Redis on 127.0.0.1:{redis_port} (from TEST_REDIS_URL)" in ci.stderr
    assert "PostgreSQL" not in ci.stderr  # the database port it was given answered
    assert "s3cret" not in ci.stderr + ci.stdout
    assert "dev test" not in ci.stdout


def test_ci_runs_the_tests_when_both_services_answer(tmp_path):
    with ExitStack() as stack:
        database_port, redis_port = _listening(stack), _listening(stack)
        ci = _run_ci(
            tmp_path,
            f"postgresql+psycopg://ci@127.0.0.1:{database_port}/test",
            f"redis://127.0.0.1:{redis_port}/0",
        )
    assert ci.returncode == 0, ci.stderr
    assert ci.stdout.strip() == "dev test"
