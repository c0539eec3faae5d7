"""The targets of issue 16, checked on one run of bench/portal_speed.py: PASS/FAIL lines."""

import re

STICKER_VS_HELLO = 0.3  # the anonymous sticker page's throughput, times bare Flask's
PORTAL_VS_STICKER = 4.0  # a portal page's median, at most this times the sticker page's
PORTAL_VS_HELLO = 0.1  # a portal page's throughput, times bare Flask's
ADMIN_MEDIAN_MS = 150.0  # an admin list's median at the largest scale
GROWTH = 1.2  # a page's median at the largest scale over the smallest
# count(...) with no WHERE in the statement (a lone "WHERE true" is none): a whole table counted.
WHOLE_COUNT = re.compile(r"\bcount\s*\(", re.IGNORECASE)
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
NO_FILTER = re.compile(r"\bwhere\s+(true|1\s*=\s*1)\b(?!\s+and\b)", re.IGNORECASE)


def _line(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL'} {text}"


def whole_table_counts(statements: list[str]) -> list[str]:
    return [
        s for s in statements if WHOLE_COUNT.search(s) and not WHERE.search(NO_FILTER.sub("", s))
    ]


def check_targets(scales, results, pages) -> list[str]:
    """`results[scale][label]`: statements, median, p95, rps and hello (the bare Flask req/s
    measured next to that page)."""
    large = scales[-1]
    at = results[large]
    lines = []
    sticker = next((p for p in pages if p.kind == "sticker"), None)
    if sticker is not None:
        ratio = at[sticker.label]["rps"] / at[sticker.label]["hello"]
        lines.append(
            _line(
                ratio >= STICKER_VS_HELLO,
                f"sticker page throughput {ratio:.3f}× bare Flask (≥ {STICKER_VS_HELLO}) "
                f"at scale {large}",
            )
        )
    for page in pages:
        row = at[page.label]
        if page.kind == "portal" and sticker is not None:
            limit = PORTAL_VS_STICKER * at[sticker.label]["median"]
            lines.append(
                _line(
                    row["median"] <= limit,
                    f"{page.label}: median {row['median']:.1f} ms ≤ {PORTAL_VS_STICKER:g}× "
                    f"sticker = {limit:.1f} ms (scale {large})",
                )
            )
        if page.kind == "portal":
            ratio = row["rps"] / row["hello"]
            lines.append(
                _line(
                    ratio >= PORTAL_VS_HELLO,
                    f"{page.label}: throughput {ratio:.3f}× bare Flask (≥ {PORTAL_VS_HELLO})",
                )
            )
        if page.kind == "admin":
            lines.append(
                _line(
                    row["median"] <= ADMIN_MEDIAN_MS,
                    f"{page.label}: median {row['median']:.1f} ms ≤ {ADMIN_MEDIAN_MS:g} ms "
                    f"(scale {large})",
                )
            )
            counts = whole_table_counts(row["statements"])
            shown = "; ".join(" ".join(s.split())[:100] for s in counts)
            lines.append(
                _line(not counts, f"{page.label}: no count(*) over a whole table {shown}".strip())
            )
    lines += _growth(scales, results, pages)
    return lines


def _growth(scales, results, pages) -> list[str]:
    if len(scales) < 2:
        return []
    small, large = results[scales[0]], results[scales[-1]]
    lines = []
    for page in pages:
        a, b = small[page.label], large[page.label]
        ratio = b["median"] / a["median"]
        queries = (len(a["statements"]), len(b["statements"]))
        lines.append(
            _line(
                ratio <= GROWTH and queries[0] == queries[1],
                f"{page.label}: scale {scales[-1]}/{scales[0]} median {ratio:.2f} (≤ {GROWTH}), "
                f"queries {queries[0]} → {queries[1]}",
            )
        )
    return lines
