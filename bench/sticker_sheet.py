"""How long a 1,000-label sticker sheet takes to build, per US format (pure builder, no database).

.venv/bin/python bench/sticker_sheet.py
.venv/bin/python bench/sticker_sheet.py --count 3000 --format a4-3x8
"""

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://service.polarbearhvac.com"  # a production-length URL: version 3 codes


def main() -> None:
    """Build one sheet per format from random tokens and print seconds, pages and PDF size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="labels (default 1000)")
    parser.add_argument(
        "--format",
        action="append",
        dest="formats",
        help="label format (repeatable; default avery-5160 and square-22805)",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from pypdf import PdfReader

    from app.models.sticker_codes import format_label_code, new_label_code, new_qr_token
    from qr.codes import sticker_url
    from qr.sheets import Sticker, build_sheet

    stickers = [
        Sticker(sticker_url(BASE_URL, new_qr_token()), format_label_code(new_label_code()))
        for _ in range(args.count)
    ]
    for name in args.formats or ["avery-5160", "square-22805"]:
        began = time.perf_counter()
        pdf = build_sheet(
            stickers,
            company="Polar Bear Heating & Air",
            phone="(555) 010-4242",
            tagline="Scan for service",
            format_name=name,
        )
        seconds = time.perf_counter() - began
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{name:14} {args.count} labels: {seconds:5.2f} s, {pages} pages, "
            f"{len(pdf) / 1e6:.2f} MB ({len(pdf) / args.count / 1e3:.2f} kB per label)"
        )


if __name__ == "__main__":
    main()
