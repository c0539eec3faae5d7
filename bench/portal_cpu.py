"""CPU time per GET of the portal's pages inside one process (Flask's test client), this
process's and the PostgreSQL backends' serving it: a steadier look than bench/portal_speed.py
on a shared machine, and the place to profile. What is timed is showing each page: the copy
the portal keeps of a page seen a moment ago (portal/kept_pages.py) is dropped before every GET,
unless `--kept` asks for the time of sending that copy instead.

    .venv/bin/python bench/portal_cpu.py                           # every portal page
    .venv/bin/python bench/portal_cpu.py --pages history --profile 40
    .venv/bin/python bench/portal_cpu.py --against /path/to/other/tree   # before/after

`--against` runs the other tree's app in a second process (its code, this script) and the two
take turns request by request, so both meet the same load: on a shared machine the only fair
before/after. The other tree needs bench/speed_pages.py's PORTAL_USER_SQL and
tests/signed_in.py (any tree since the portal's second pass).

Reads the scale-2 database bench/portal_speed.py seeds for this tree (run that first), or the
one named by --database; it never seeds or drops one (signing in adds a sign-in row). The
PostgreSQL column is the CPU time of that database's server processes over the GETs, read from
/proc: the server must run on this machine.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

# The tree whose app is measured: this one, or the one `--against` names (its own process).
ROOT = Path(os.environ.get("PORTAL_CPU_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import PortalUser  # noqa: E402
from bench.speed_db import SERVER, STATE_DIR, schema_and_seed_hash  # noqa: E402
from bench.speed_pages import PAGES, PORTAL_USER_SQL  # noqa: E402
from tests.signed_in import sign_in_client  # noqa: E402


def _server_cpu(database: str) -> float:
    """CPU seconds so far of the server processes connected to `database`."""
    with psycopg.connect(f"{SERVER}/postgres") as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s"
        pids = [pid for (pid,) in conn.execute(query, (database,))]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # ended meanwhile
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


# Set by --kept: time sending the page the portal kept, not showing it anew.
SEND_KEPT = {"on": False}


def _show(client, path: str):
    if not SEND_KEPT["on"]:
        client.application.extensions.pop("portal_pages", None)
    return client.get(path)


def _get(client, path: str, requests: int) -> None:
    for _ in range(requests):
        _show(client, path)


def _signed_in_clients(database: str) -> dict:
    """A test client signed in as each bench customer, on the app of ROOT."""
    url = f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{database}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE_DIR": str(STATE_DIR / database),
            "LOG_LEVEL": "WARNING",
        }
    )
    clients = {}
    with app.app_context():
        for who, sql in PORTAL_USER_SQL.items():
            email = db.session.scalar(text(sql))
            user_id = db.session.scalar(select(PortalUser.id).where(PortalUser.email == email))
            clients[who] = app.test_client()
            sign_in_client(clients[who], PortalUser, user_id)
    return clients


def _timed_get(client, path: str) -> float:
    started = time.process_time()
    assert _show(client, path).status_code == 200, path
    return time.process_time() - started


def _serve(database: str) -> None:
    """The `--against` side: time each GET asked for on stdin (a page label), answer on stdout."""
    clients = _signed_in_clients(database)
    pages = {page.label: page for page in PAGES if page.kind == "portal"}
    print("ready", flush=True)
    for line in sys.stdin:
        page = pages[line.strip()]
        print(_timed_get(clients[page.who], page.path), flush=True)


def _compare(arguments, database: str, clients: dict, pages: list) -> None:
    """Both trees' CPU per GET of each page, taking turns request by request."""
    other = subprocess.Popen(
        # the same database: the other tree's own may not be seeded
        [f"{arguments.against}/.venv/bin/python", __file__, "--serve", "--database", database]
        + ["--kept"] * arguments.kept,
        cwd=arguments.against,
        env={**os.environ, "PORTAL_CPU_TREE": arguments.against},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout.readline().strip() == "ready"

    def theirs(label: str) -> float:
        other.stdin.write(label + "\n")
        other.stdin.flush()
        return float(other.stdout.readline())

    print(f"{'page':20s} {'other ms':>9s} {'this ms':>8s} {'this/other':>10s}   ({_load()})")
    for page in pages:
        client, times = clients[page.who], ([], [])
        for turn in range(10 + arguments.requests):  # the first 10 warm up
            if turn % 2:  # who goes first alternates too
                this = _timed_get(client, page.path)
                pair = (theirs(page.label), this)
            else:
                pair = (theirs(page.label), _timed_get(client, page.path))
            if turn >= 10:
                times[0].append(pair[0])
                times[1].append(pair[1])
        medians = [sorted(each)[len(each) // 2] * 1000 for each in times]
        ratio = medians[1] / medians[0]
        print(f"{page.label:20s} {medians[0]:9.2f} {medians[1]:8.2f} {ratio:10.2f}", flush=True)
    print(f"({_load()})")
    other.stdin.close()
    other.wait()


def _load() -> str:
    return "load average " + ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose label has this")
    parser.add_argument("--profile", type=int, default=0, help="print this many cProfile lines")
    parser.add_argument("--database", default=f"bench_{schema_and_seed_hash(ROOT)}_s2")
    parser.add_argument("--against", help="another tree, measured in turn with this one")
    parser.add_argument("--kept", action="store_true", help="time sending the kept page")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    SEND_KEPT["on"] = arguments.kept
    database = arguments.database
    if not (STATE_DIR / f"{database}.json").exists():
        raise SystemExit(f"{database} is not seeded: run bench/portal_speed.py first")
    if arguments.serve:
        _serve(database)
        return
    clients = _signed_in_clients(database)
    pages = [p for p in PAGES if p.kind == "portal"]
    pages = [p for p in pages if not arguments.pages or any(w in p.label for w in arguments.pages)]
    if arguments.against:
        _compare(arguments, database, clients, pages)
        return
    print(f"{'page':20s} {'Python ms':>10s} {'PostgreSQL ms':>14s}   (per GET; {_load()})")
    for page in pages:
        client = clients[page.who]
        for _ in range(10):
            assert _show(client, page.path).status_code == 200, page.path
        times, server = [], _server_cpu(database)
        for _ in range(arguments.requests):
            times.append(_timed_get(client, page.path))
        server = (_server_cpu(database) - server) / arguments.requests
        median = sorted(times)[len(times) // 2]
        print(f"{page.label:20s} {median * 1000:10.2f} {server * 1000:14.2f}")
        if arguments.profile:
            profile = cProfile.Profile()
            profile.runcall(_get, client, page.path, arguments.requests)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(arguments.profile)


if __name__ == "__main__":
    main()
