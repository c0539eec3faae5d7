"""How fast the sticker page, the portal, the technician's sticker view and the busiest admin
lists are at ~1k and ~106k work orders on PostgreSQL, beside a bare Flask "hello" (issue 16).

    .venv/bin/python bench/portal_speed.py                       # this checkout
    .venv/bin/python bench/portal_speed.py --code /work/wt/baseline

Seeds (or reuses) one PostgreSQL database per scale (bench/speed_db.py), serves the tree with
gunicorn (2 sync workers) against each, signs in as people do (staff password, portal link from
the outbox), counts each page's SQL statements in a separate pass (BENCH_QUERY_LOG, see
bench/speed_wsgi.py), then times each page: one client (median, p95) and 16 connections (wrk).
Prints a table and the targets of issue 16 as PASS/FAIL lines. Ratios within one run are what
count: other work on the machine moves the absolute figures. The table gives each page's size
at both scales: a 100k/1k ratio means "the same page over more data" only where they match.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed_db import STATE_DIR, seeded_database  # noqa: E402
from bench.speed_http import (  # noqa: E402
    WRK,
    latencies,
    median_p95,
    portal_cookie,
    request,
    staff_cookie,
    sticker_token,
    throughput,
)
from bench.speed_pages import (  # noqa: E402
    ANONYMOUS,
    COMMERCIAL,
    HOUSEHOLD,
    PAGES,
    STAFF_LOGINS,
)
from bench.speed_serve import gunicorn  # noqa: E402
from bench.speed_targets import check_targets  # noqa: E402


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the app tree to serve")
    parser.add_argument("--scales", type=int, nargs="+", default=[2, 200])
    parser.add_argument("--requests", type=int, default=200, help="timed one-client GETs")
    parser.add_argument("--warmup", type=int, default=20, help="untimed GETs before them")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page and scale")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose label has this")
    return parser.parse_args()


def _machine(code: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(code), "log", "-1", "--format=%h %cs"], capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; tree {code} ({commit}); "
        f"{os.cpu_count()} CPUs, load average {load}; throughput by {WRK or 'a Python loop'}"
    )


def _cookies(base_url: str, database_url: str) -> dict[str, str]:
    cookies = {ANONYMOUS: ""}
    for who in (HOUSEHOLD, COMMERCIAL):
        cookies[who] = portal_cookie(base_url, database_url, who)
    for who in STAFF_LOGINS:
        cookies[who] = staff_cookie(base_url, who)
    return cookies


def _counted(base_url: str, path: str, cookie: str, log: Path) -> dict:
    """The SQL a warm GET of `path` runs (the served app writes it to `log`): the shorter of two,
    since a cache that lapses by the clock (company settings) costs one request a query now and
    then; a page that needs more queries for more data needs them every time. And the page's
    size, in KB."""
    request(base_url, path, cookie)
    log.write_text("")
    request(base_url, path, cookie)
    page = request(base_url, path, cookie)
    runs = [json.loads(line)["statements"] for line in log.read_text().splitlines()]
    return {"path": path, "statements": min(runs, key=len), "kb": len(page.body) / 1024}


def count_queries(code: Path, database, pages) -> tuple[dict[str, str], dict[str, dict]]:
    """Sign everyone in and run each page once in the counting pass: (cookies, {label: row})."""
    log = STATE_DIR / f"{database.name}-queries.jsonl"
    rows = {}
    with gunicorn(code, "speed_wsgi:app", database, query_log=log) as base_url:
        cookies = _cookies(base_url, database.url)
        token = sticker_token(database.url, HOUSEHOLD)
        for page in pages:
            path = page.path.format(sticker=token)
            rows[page.label] = _counted(base_url, path, cookies[page.who], log)
    log.unlink(missing_ok=True)
    return cookies, rows


def time_pages(code: Path, databases: dict, pages, args) -> tuple[dict, float]:
    """Every page at every scale, the scales taking turns request by request, and the bare
    Flask hello's throughput measured next to each page: (results by scale, hello median ms)."""
    signed = {scale: count_queries(code, database, pages) for scale, database in databases.items()}
    results = {scale: rows for scale, (_cookies, rows) in signed.items()}
    with ExitStack() as stack:
        hello_url = stack.enter_context(gunicorn(code, "speed_hello:app"))
        urls = {
            scale: stack.enter_context(gunicorn(code, "speed_wsgi:app", database))
            for scale, database in databases.items()
        }
        (hello_times,) = latencies([(hello_url, "/", "")], args.requests, args.warmup)
        for page in pages:
            targets = [
                (urls[scale], results[scale][page.label]["path"], signed[scale][0][page.who])
                for scale in databases
            ]
            timed = latencies(targets, args.requests, args.warmup)
            hello = throughput(hello_url, "/", "", args.seconds)
            for scale, times, target in zip(databases, timed, targets, strict=True):
                row = results[scale][page.label]
                row["median"], row["p95"] = median_p95(times)
                row["rps"], row["hello"] = throughput(*target, args.seconds), hello
            print(f"  {page.label:<26} " + "  ".join(_brief(results[s][page.label]) for s in urls))
    return results, median_p95(hello_times)[0]


def _brief(row: dict) -> str:
    return (
        f"{len(row['statements']):>2} q {row['median']:6.1f} ms {row['p95']:6.1f} p95 "
        f"{row['rps']:6.1f}/s (hello {row['hello']:.0f}/s)"
    )


def _table(scales, results, pages) -> list[str]:
    small, large = scales[0], scales[-1]
    lines = [
        f"| page | queries s{small} / s{large} | median ms s{small} | median ms s{large} "
        f"| p95 ms s{large} | req/s s{small} | req/s s{large} | × hello s{large} "
        f"| s{large}/s{small} median | page KB s{small} / s{large} |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        a, b = results[small][page.label], results[large][page.label]
        lines.append(
            f"| {page.label} | {len(a['statements'])} / {len(b['statements'])} "
            f"| {a['median']:.1f} | {b['median']:.1f} | {b['p95']:.1f} | {a['rps']:.0f} "
            f"| {b['rps']:.0f} | {b['rps'] / b['hello']:.3f} | {b['median'] / a['median']:.2f} "
            f"| {a['kb']:.1f} / {b['kb']:.1f} |"
        )
    return lines


def main() -> None:
    args = _arguments()
    code = args.code.resolve()
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    pages = [p for p in PAGES if not args.pages or any(w in p.label for w in args.pages)]
    print(_machine(code), flush=True)
    databases = {scale: seeded_database(code, scale) for scale in args.scales}
    for scale, database in databases.items():
        how = "reused; it was seeded" if database.reused else "seeded now"
        print(f"scale {scale}: {database.name} ({how} in {database.seed_seconds:.0f} s)")
    print("scales: " + "  |  ".join(f"s{scale}" for scale in databases), flush=True)
    results, hello_median = time_pages(code, databases, pages, args)
    hellos = [row["hello"] for row in results[args.scales[-1]].values()]
    print(
        f"\n{_machine(code)}\nbare Flask hello: {hello_median:.1f} ms median, "
        f"{min(hellos):.0f}–{max(hellos):.0f} req/s (measured next to each page)\n"
    )
    print("\n".join(_table(args.scales, results, pages)))
    print()
    lines = check_targets(args.scales, results, pages)
    print("\n".join(lines))
    sys.exit(1 if any(line.startswith("FAIL") for line in lines) else 0)


if __name__ == "__main__":
    main()
