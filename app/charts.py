"""Charts drawn on the server as SVG: no charting library, no CDN, no script.

Each chart is a `<figure>` holding the picture (with a `<title>` and, per bar or point, a
`<title>` naming its label and value) and the same figures as a table for screen readers.
Bars run sideways, so long labels such as technicians' names stay readable on a phone. A chart
with nothing to show says so in words instead of drawing empty axes. Line charts (readings
over time against a limit, such as a unit's leak rate) put each reading at its date, write its
value beside it and draw the limit as a labelled dashed line.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import count

from markupsafe import Markup, escape

WIDTH = 360  # viewBox units; the picture scales to its column (CSS caps it on wide screens)
LABEL_WIDTH = 112  # the category labels' column, left of the axis
VALUE_ROOM = 64  # right of the longest bar, for its value
ROW = 26
BAR = 16
TOP = 6
AXIS_ROOM = 22  # below the last bar: the value axis and its tick labels
LABEL_CHARS = 17  # longer labels are shortened in the picture (the table has them whole)
TICKS = 4

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def nice_step(rough: float, *, whole: bool) -> float:
    """The tick step people read easily (1, 2 or 5 times a power of ten) not below `rough`."""
    if rough <= 0:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return max(step, 1) if whole else step


def axis_ticks(largest: float, *, whole: bool) -> list[float]:
    """Evenly spaced ticks from 0 to the first tick at or above `largest`."""
    step = nice_step(largest / TICKS, whole=whole)
    return [step * i for i in range(math.ceil(largest / step - 1e-9) + 1)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _svg_open(kind: str, title: str, width: float, height: float) -> str:
    """The <svg> element (an image named by its <title>) and that title."""
    title_id = f"chart-title-{next(_ids)}"
    return (
        f'<svg class="{kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
    )


def _svg(title: str, bars: Sequence[Bar], fmt: Callable[[float], str], whole: bool) -> str:
    ticks = axis_ticks(max(bar.value for bar in bars), whole=whole)
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    scale = plot / ticks[-1]
    bottom = TOP + ROW * len(bars)
    height = bottom + AXIS_ROOM
    parts = [_svg_open("bar-chart", title, WIDTH, height)]
    for tick in ticks:
        x = LABEL_WIDTH + tick * scale
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}"/>'
            f'<text class="tick" x="{x:.1f}" y="{bottom + 15}" text-anchor="middle">'
            f"{escape(fmt(tick))}</text>"
        )
    for row, bar in enumerate(bars):
        y = TOP + row * ROW + (ROW - BAR) / 2
        length = max(bar.value, 0) * scale
        shown = escape(fmt(bar.value))
        parts.append(
            f'<g class="bar"><title>{escape(bar.label)}: {shown}</title>'
            f'<text class="label" x="{LABEL_WIDTH - 6}" y="{y + BAR - 4}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.2f}" height="{BAR}" '
            f'data-value="{bar.value}"/>'
            f'<text class="value" x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR - 4}">'
            f"{shown}</text></g>"
        )
    parts.append(
        f'<line class="axis" x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" y2="{bottom}"/>'
        f'<line class="axis" x1="{LABEL_WIDTH}" y1="{bottom}" '
        f'x2="{LABEL_WIDTH + plot}" y2="{bottom}"/></svg>'
    )
    return "".join(parts)


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The chart's figures for screen readers: a row per bar or reading, its label first.
    The hiding box is a <div>: a table keeps its width whatever its own width says, and
    would widen the page on a phone."""
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    body = "".join(
        f'<tr><th scope="row">{escape(first)}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in rest)
        + "</tr>"
        for first, *rest in rows
    )
    return (
        f'<div class="sr-only"><table><caption>{escape(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _figure(title: str, body: str) -> Markup:
    caption = f'<figcaption class="h6">{escape(title)}</figcaption>'
    figure = f'<figure class="chart">{caption}{body}</figure>'
    return Markup(figure)  # noqa: S704  (every text in it went through escape())


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    headers: tuple[str, str],
    empty: str,
    fmt: Callable[[float], str] = lambda value: f"{value:,.0f}",
    whole: bool = True,
) -> Markup:
    """A captioned horizontal bar chart with its table; `empty` is said when nothing is above 0.

    `headers` name the table's two columns (what the bars are, what the values are); `fmt`
    writes a value (bars and axis ticks); `whole` keeps ticks on whole numbers (counts).
    """
    if not any(bar.value > 0 for bar in bars):
        return _figure(title, f'<p class="chart-empty text-muted">{escape(empty)}</p>')
    rows = [(bar.label, fmt(bar.value)) for bar in bars]
    return _figure(title, _svg(title, bars, fmt, whole) + _table(title, headers, rows))


# Line charts: readings over time against a limit.
LINE_WIDTH = 400  # viewBox units: on a phone about 0.8 px each, so the text stays readable
LINE_HEIGHT = 230
LINE_LEFT = 44  # the value axis's tick labels
LINE_RIGHT = 14
LINE_TOP = 22  # above the highest reading: its value
LINE_BOTTOM = 40  # below the plot: the dates, on two lines
EDGE = 28  # between the axis and the first and last readings, so their labels fit
DATE_GAP = 56  # dates nearer than this to the last one written are left to the points' titles


@dataclass(frozen=True)
class Reading:
    """One reading: its day, how the axis writes it (lines) and how the table does, its value
    as a number and as written, and whether it is over the limit."""

    day: date
    axis: tuple[str, ...]
    label: str
    value: float
    shown: str
    over: bool


@dataclass(frozen=True)
class Limit:
    value: float
    label: str  # "10% limit"


def _x_positions(readings: Sequence[Reading]) -> list[float]:
    """Each reading's x, in proportion to its day (a single reading in the middle)."""
    left, right = LINE_LEFT + EDGE, LINE_WIDTH - LINE_RIGHT - EDGE
    first, last = readings[0].day, readings[-1].day
    span = (last - first).days
    if not span:
        return [(left + right) / 2] * len(readings)
    return [left + (reading.day - first).days / span * (right - left) for reading in readings]


def _dated(xs: Sequence[float]) -> set[float]:
    """The x positions whose dates are written: the latest, then each one far enough left
    of the last written (the others have theirs in their titles and in the table)."""
    dated, written = set(), math.inf
    for x in reversed(xs):
        if written - x >= DATE_GAP:
            dated.add(x)
            written = x
    return dated


def _line_svg(title: str, readings: Sequence[Reading], limit: Limit | None, fmt) -> str:
    largest = max([reading.value for reading in readings] + ([limit.value] if limit else []))
    ticks = axis_ticks(largest or 1, whole=True)
    bottom = LINE_HEIGHT - LINE_BOTTOM
    scale = (bottom - LINE_TOP) / ticks[-1]
    right = LINE_WIDTH - LINE_RIGHT

    def y(value: float) -> float:
        return bottom - value * scale

    parts = [_svg_open("line-chart", title, LINE_WIDTH, LINE_HEIGHT)]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{LINE_LEFT}" y1="{y(tick):.1f}" x2="{right}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{LINE_LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(fmt(tick))}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{LINE_LEFT}" y1="{LINE_TOP}" x2="{LINE_LEFT}" y2="{bottom}"/>'
        f'<line class="axis" x1="{LINE_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
    )
    if limit:
        parts.append(
            f'<g class="limit"><line x1="{LINE_LEFT}" y1="{y(limit.value):.1f}" x2="{right}" '
            f'y2="{y(limit.value):.1f}"/>'
            f'<text x="{right}" y="{y(limit.value) - 5:.1f}" text-anchor="end">'
            f"{escape(limit.label)}</text></g>"
        )
    xs = _x_positions(readings)
    points = " ".join(f"{x:.1f},{y(r.value):.1f}" for x, r in zip(xs, readings, strict=True))
    parts.append(f'<polyline class="trend" points="{points}"/>')
    dated = _dated(xs)
    for x, reading in zip(xs, readings, strict=True):
        if x in dated:
            lines = "".join(
                f'<tspan x="{x:.1f}" dy="{0 if n == 0 else 13}">{escape(line)}</tspan>'
                for n, line in enumerate(reading.axis)
            )
            parts.append(
                f'<text class="date" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">'
                f"{lines}</text>"
            )
        parts.append(
            f'<g class="reading{" over" if reading.over else ""}">'
            f"<title>{escape(reading.label)}: {escape(reading.shown)}</title>"
            f'<circle cx="{x:.1f}" cy="{y(reading.value):.1f}" r="4"/>'
            f'<text class="value" x="{x:.1f}" y="{y(reading.value) - 8:.1f}" '
            f'text-anchor="middle">{escape(reading.shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    readings: Sequence[Reading],
    *,
    limit: Limit | None,
    headers: tuple[str, str, str],
    answers: tuple[str, str],
    fmt: Callable[[float], str],
) -> Markup:
    """A captioned chart of `readings` (oldest first) against `limit`, with its table.

    `headers` name the table's columns (the day, the value, whether it is over the limit),
    `answers` are the words for over and not over; `fmt` writes the value axis's ticks.
    """
    rows = [(r.label, r.shown, answers[0] if r.over else answers[1]) for r in readings]
    svg = _line_svg(title, readings, limit, fmt)
    return _figure(title, svg + _table(title, headers, rows))
