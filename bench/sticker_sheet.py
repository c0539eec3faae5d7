"""How long a sticker sheet takes to build, and its peak memory, per format and label count
(pure builder, no database). Each sheet is built in a fresh subprocess, written to a temporary
file the way the job writes into storage, so its peak RSS (ru_maxrss) is that sheet's alone:
the same at 1,000 and 5,000 labels when memory does not grow with the sheet.

.venv/bin/python bench/sticker_sheet.py
.venv/bin/python bench/sticker_sheet.py --count 5000 --format avery-5160
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://service.polarbearhvac.com"  # a production-length URL: version 3 codes


def main() -> None:
    """Build one sheet per format and count, each in its own process, and print what it cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count",
        type=int,
        action="append",
        dest="counts",
        help="labels (repeatable; default 1000 and 5000)",
    )
    parser.add_argument(
        "--format",
        action="append",
        dest="formats",
        help="label format (repeatable; default avery-5160 and square-22805)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the subprocess: build this format
    args = parser.parse_args()
    counts = args.counts or [1000, 5000]
    if args.one:
        build_one(args.one, counts[0])
        return
    for name in args.formats or ["avery-5160", "square-22805"]:
        for count in counts:
            command = [sys.executable, __file__, "--one", name, "--count", str(count)]
            ran = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 (this script)
            print(ran.stdout, end="")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def build_one(name: str, count: int) -> None:
    """Draw `count` random stickers on `name` sheets into a temporary file and report."""
    sys.path.insert(0, str(ROOT))
    from pypdf import PdfReader

    from app.models.sticker_codes import format_label_code, new_label_code, new_qr_token
    from qr.codes import sticker_url
    from qr.sheets import Sticker, build_sheet

    stickers = [
        Sticker(
            sticker_url(BASE_URL, new_qr_token()),
            format_label_code(new_label_code()),
            "RTU-3 · Maple Court",
        )
        for _ in range(count)
    ]
    ready = _rss_mb()
    with tempfile.TemporaryFile() as out:
        began, cpu = time.perf_counter(), time.process_time()
        build_sheet(
            stickers,
            out,
            company="Polar Bear Heating & Air",
            phone="(555) 010-4242",
            tagline="Scan for service",
            format_name=name,
        )
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        peak = _rss_mb()
        size = out.tell()
        out.seek(0)
        pages = len(PdfReader(out).pages)
    print(
        f"{name:14} {count} labels: {seconds:5.2f} s ({cpu:.2f} s CPU), {pages} pages, "
        f"{size / 1e6:.2f} MB ({size / count / 1e3:.2f} kB per label); peak RSS {peak:.0f} MB, "
        f"{peak - ready:.0f} MB over the {ready:.0f} MB before drawing"
    )


if __name__ == "__main__":
    main()
