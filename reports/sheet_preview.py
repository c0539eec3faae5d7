"""A picture of the first sheet, for the print form: which positions are already used, where
each label goes and what it says. Drawn as SVG from the same layout the PDF uses.

Pure: a format, a start position and the labels' text in, SVG markup out (no fonts or
renderer needed on the server; the browser draws it).
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

from qr.sheets import LabelText, SheetFormat, layout


def preview_svg(
    fmt: SheetFormat, start: int, labels: Sequence[LabelText], *, title: str, used: str
) -> Markup:
    """The first sheet of `fmt` with `labels` from position `start`; earlier positions are
    shaded and marked `used`. Coordinates are PDF points (y flipped for SVG)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sheet-preview" role="img" '
        f'viewBox="0 0 {fmt.page_width:.1f} {fmt.page_height:.1f}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{fmt.page_width:.1f}" height="{fmt.page_height:.1f}" fill="#fff" '
        'stroke="#8a96a3"/>',
    ]
    for slot in range(fmt.per_page):
        x, bottom = fmt.slot_origin(slot)
        top = fmt.page_height - bottom - fmt.label_height
        index = slot - (start - 1)
        fill = "#d5dbe1" if index < 0 else "#fff"
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{fmt.label_width:.1f}" '
            f'height="{fmt.label_height:.1f}" rx="4" fill="{fill}" stroke="#8a96a3"/>'
        )
        if index < 0:
            parts.append(_text(x + 4, top + 12, used, 9, "#556170"))
        elif index < len(labels):
            parts.append(_label(fmt, x, top, labels[index]))
        parts.append(_text(x + fmt.label_width - 14, top + fmt.label_height - 4, slot + 1, 7))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it went through escape())


def _label(fmt: SheetFormat, x: float, top: float, text: LabelText) -> str:
    placed = layout(fmt, text)
    code = placed.code_box
    parts = [
        f'<rect x="{x + code.x:.1f}" y="{top + fmt.label_height - code.top:.1f}" '
        f'width="{code.width:.1f}" height="{code.height:.1f}" fill="#1d2733" opacity=".8"/>'
    ]
    for line in placed.lines:
        weight = "bold" if "Bold" in line.font else "normal"
        family = "monospace" if line.font.startswith("Courier") else "sans-serif"
        parts.append(
            f'<text x="{x + line.x:.1f}" y="{top + fmt.label_height - line.baseline:.1f}" '
            f'font-size="{line.size:.1f}" font-family="{family}" font-weight="{weight}">'
            f"{escape(line.text)}</text>"
        )
    return "".join(parts)


def _text(x: float, y: float, text, size: float, colour: str = "#8a96a3") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" '
        f'font-family="sans-serif">{escape(str(text))}</text>'
    )
