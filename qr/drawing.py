"""QR codes for stickers: the symbol for a URL (qrcode) and its vector drawing on a PDF canvas.

Drawn as vectors (one filled path per code, dark modules merged into runs), so codes stay sharp
at any printer resolution.
"""

from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE_MODULES = 4
# Stronger first: a level is used when it fits in the version level M needs.
_BOOSTED_LEVELS = (ERROR_CORRECT_H, ERROR_CORRECT_Q)


def make_qr(url: str) -> QRCode:
    """The QR code for a sticker URL, error level M or better, in the densest modes the URL
    allows: alphanumeric for qr.codes.sticker_url's uppercase URLs, bytes with a lowercase
    path prefix.

    The error level is raised as far as the same version allows, so
    a code gets sturdier without getting denser.
    """
    qr = _symbol(url, ERROR_CORRECT_M)
    version = qr.best_fit()
    for level in _BOOSTED_LEVELS:
        stronger = _symbol(url, level)
        if stronger.best_fit() == version:
            qr = stronger
            break
    qr.make(fit=False)
    return qr


def _symbol(url: str, level: int) -> QRCode:
    qr = QRCode(error_correction=level, border=0)
    qr.add_data(url)
    return qr


def draw_code(canvas: Canvas, qr: QRCode, x: float, top: float, width: float) -> None:
    """Draw `qr` with its quiet zone in a square `width` wide whose top-left corner is (x, top).

    The dark modules are one filled path: each run of dark modules in a row is one rectangle,
    drawn in module units (origin at the symbol's top-left corner, y down), which keeps the
    path short: whole numbers only.
    """
    matrix = qr.get_matrix()
    count = len(matrix)
    module = width / (count + 2 * QUIET_ZONE_MODULES)
    canvas.saveState()
    canvas.translate(x + QUIET_ZONE_MODULES * module, top - QUIET_ZONE_MODULES * module)
    canvas.scale(module, -module)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        end = 0
        while (begin := _find(row, True, end)) != -1:
            end = _find(row, False, begin)
            if end == -1:
                end = count
            path.rect(begin, row_number, end - begin, 1)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _find(row: list[bool], value: bool, start: int) -> int:
    """The index of the first `value` in `row` from `start`, or -1."""
    try:
        return row.index(value, start)
    except ValueError:
        return -1
