"""CPU time per GET of the anonymous sticker page inside one process (Flask's test client), kept
and rendered, beside the app's floor and a bare Flask "hello": a steadier look than
bench/portal_speed.py on a shared machine, and the place to profile.

    .venv/bin/python bench/sticker_cpu.py                # best of 3 runs of --requests GETs
    .venv/bin/python bench/sticker_cpu.py --profile 40   # and the rendered page's top 40

Reads the scale-2 database bench/portal_speed.py seeds for this tree (run that first), or the one
named by --database; it never seeds or drops one. "rendered" is the
page as the first stranger in qr.kept_pages.KEEP_SECONDS gets it; "floor" is a route of this
app that returns a constant string through every hook (headers, input guard, route policy,
session, limiter).
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app import create_app  # noqa: E402
from app.route_policy import ROUTES, SECRET_LINK  # noqa: E402
from bench.speed_db import SERVER, STATE_DIR, schema_and_seed_hash  # noqa: E402
from qr import kept_pages  # noqa: E402


def _cpu_ms(client, path: str, requests: int) -> float:
    """The best of three runs: CPU milliseconds per GET (other processes' load moves it less
    than wall time)."""
    for _ in range(50):
        assert client.get(path).status_code == 200, path
    runs = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(requests):
            client.get(path)
        runs.append((time.process_time() - started) / requests * 1000)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", type=int, default=0, help="print this many cProfile lines")
    parser.add_argument("--database", default=f"bench_{schema_and_seed_hash(ROOT)}_s2")
    arguments = parser.parse_args()
    if not (STATE_DIR / f"{arguments.database}.json").exists():
        raise SystemExit(f"{arguments.database} is not seeded: run bench/portal_speed.py first")
    url = f"{SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{arguments.database}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING"})
    ROUTES["bench_floor"] = SECRET_LINK
    app.add_url_rule("/floor/<token>", "bench_floor", lambda token: "<!doctype html><p>floor")
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    with create_engine(url).connect() as connection:
        token = connection.execute(
            text("SELECT qr_token FROM units WHERE qr_token IS NOT NULL ORDER BY id LIMIT 1")
        ).scalar()
    client, path = app.test_client(), f"/U/{token}"
    print(f"bare Flask hello  {_cpu_ms(hello.test_client(), '/', arguments.requests):.3f} ms")
    print(f"app floor         {_cpu_ms(client, '/floor/X', arguments.requests):.3f} ms")
    print(f"sticker, kept     {_cpu_ms(client, path, arguments.requests):.3f} ms")
    kept_pages.KEEP_SECONDS = -1.0  # from now on every page is rendered
    app.extensions["sticker_pages"].clear()
    print(f"sticker, rendered {_cpu_ms(client, path, arguments.requests // 4):.3f} ms")
    if arguments.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(path) for _ in range(arguments.requests // 4)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(arguments.profile)


if __name__ == "__main__":
    main()
