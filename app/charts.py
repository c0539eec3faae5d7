"""Bar charts drawn on the server as SVG: no charting library, no CDN, no script.

Each chart is a `<figure>` holding the picture (with a `<title>` and, per bar, a `<title>`
naming its label and value) and the same figures as a table for screen readers. Bars run
sideways, so long labels such as technicians' names stay readable on a phone. A chart with
nothing to show says so in words instead of drawing empty axes.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


def _svg(title: str, bars: Sequence[Bar], fmt: Callable[[float], str], whole: bool) -> str:
    ticks = axis_ticks(max(bar.value for bar in bars), whole=whole)
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    scale = plot / ticks[-1]
    bottom = TOP + ROW * len(bars)
    height = bottom + AXIS_ROOM
    title_id = f"chart-title-{next(_ids)}"
    parts = [
        f'<svg class="bar-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
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


def _table(title: str, bars: Sequence[Bar], fmt, headers: tuple[str, str]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(bar.label)}</th><td>{escape(fmt(bar.value))}</td></tr>'
        for bar in bars
    )
    return (
        f'<table class="sr-only"><caption>{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(headers[0])}</th>'
        f'<th scope="col">{escape(headers[1])}</th></tr></thead><tbody>{rows}</tbody></table>'
    )


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
    caption = f'<figcaption class="h6">{escape(title)}</figcaption>'
    if not any(bar.value > 0 for bar in bars):
        body = f'<p class="chart-empty text-muted">{escape(empty)}</p>'
    else:
        body = _svg(title, bars, fmt, whole) + _table(title, bars, fmt, headers)
    figure = f'<figure class="chart">{caption}{body}</figure>'
    return Markup(figure)  # noqa: S704  (every text in it went through escape())
