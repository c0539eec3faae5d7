"""The demo's files, drawn at seed time: a logo, manuals, warranty cards, job-site photos and
the stroke a customer signs with on the technician's phone. Plain data in, bytes out; the same
data always gives the same bytes."""

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.8 * inch
PHOTO_SIZE = (800, 600)


def logo_png(initials: str, name: str, color: str) -> bytes:
    """A 160 x 64 logo: the initials in a disc of the brand colour, the name beside it."""
    image = Image.new("RGBA", (160, 64), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, 61, 61), fill=color)
    draw.text((32, 33), initials, fill="white", font=ImageFont.load_default(size=26), anchor="mm")
    words = name.split()
    font = ImageFont.load_default(size=15)
    for row, line in enumerate((" ".join(words[:2]), " ".join(words[2:]))):
        draw.text((70, 14 + row * 20), line, fill=color, font=font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _page(title: str, subtitle: str, company: str, color: str) -> tuple[canvas.Canvas, io.BytesIO]:
    """A letter page with the company's (name, colour) header band; `invariant` keeps the
    bytes repeatable."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER, invariant=1)
    pdf.setTitle(f"{title}: {subtitle}")
    pdf.setFillColor(colors.HexColor(color))
    pdf.rect(0, PAGE_HEIGHT - 0.9 * inch, PAGE_WIDTH, 0.9 * inch, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(MARGIN, PAGE_HEIGHT - 0.55 * inch, company)
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(MARGIN, PAGE_HEIGHT - 1.5 * inch, title)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(MARGIN, PAGE_HEIGHT - 1.8 * inch, subtitle)
    return pdf, out


def _lines(pdf: canvas.Canvas, top: float, lines: Sequence[str], *, size: int = 11) -> float:
    """Write lines from `top` down (a line starting with "# " is a heading); returns the next y."""
    y = top
    for line in lines:
        heading = line.startswith("# ")
        pdf.setFont("Helvetica-Bold" if heading else "Helvetica", size + 2 if heading else size)
        if heading:
            y -= 8
        pdf.drawString(MARGIN, y, line[2:] if heading else line)
        y -= size + 7
    return y


def _finish(pdf: canvas.Canvas, out: io.BytesIO) -> bytes:
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def manual_pdf(
    manufacturer: str, model: str, label: str, interval_months: int, brand: tuple[str, str]
) -> bytes:
    """A short owner's manual for one model: what to check before calling, and upkeep."""
    pdf, out = _page("Owner's manual", f"{manufacturer} {model} {label}", *brand)
    _lines(
        pdf,
        PAGE_HEIGHT - 2.4 * inch,
        (
            "# Before you call for service",
            "1. Check that the thermostat is set to the right mode and temperature.",
            "2. Check the breaker and the service switch next to the equipment.",
            "3. Look at the air filter: a clogged filter stops air and can freeze the coil.",
            "# Keeping it running well",
            "Replace or clean the air filter every one to three months.",
            "Keep two feet clear around outdoor equipment; keep leaves and snow off it.",
            f"Have it serviced by a licensed technician every {interval_months} months.",
            "# Safety",
            "Turn the power off at the service switch before opening any panel.",
            "If you smell gas, leave the building and call the gas company from outside.",
        ),
    )
    return _finish(pdf, out)


@dataclass(frozen=True)
class WarrantyFacts:
    manufacturer: str
    model: str
    serial: str
    label: str
    installed: date
    parts_until: date
    labor_until: date
    owner: str
    address: str


def warranty_pdf(facts: WarrantyFacts, brand: tuple[str, str]) -> bytes:
    """The registered warranty card of one installed unit."""
    pdf, out = _page("Warranty card", f"{facts.manufacturer} {facts.model} {facts.label}", *brand)
    _lines(
        pdf,
        PAGE_HEIGHT - 2.4 * inch,
        (
            "# Registered equipment",
            f"Serial number: {facts.serial}",
            f"Installed on: {facts.installed.isoformat()}",
            f"Owner: {facts.owner}",
            f"Installed at: {facts.address}",
            "# Coverage",
            f"Parts (manufacturer): until {facts.parts_until.isoformat()}",
            f"Labor (installer): until {facts.labor_until.isoformat()}",
            "# Keep the coverage",
            "Keep this card with your records and have the equipment serviced on schedule;",
            "manufacturers may ask for the service records before honouring a claim.",
        ),
    )
    return _finish(pdf, out)


def signature_stroke() -> bytes:
    """A signature drawn with a finger on the sign-off screen's pad: a PNG of dark strokes on a
    clear background, as the pad posts it."""
    image = Image.new("RGBA", (900, 260), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = (24, 32, 72, 255)
    loops = [(70 + x, 150 - 70 * math.sin(x / 38) * math.exp(-x / 500)) for x in range(0, 520, 6)]
    draw.line(loops, fill=ink, width=7, joint="curve")
    tail = [(560 + x, 170 - 30 * math.sin(x / 22)) for x in range(0, 260, 6)]
    draw.line(tail, fill=ink, width=6, joint="curve")
    draw.line([(90, 215), (800, 200)], fill=ink, width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def coil_photo(caption: str, *, clean: bool) -> bytes:
    """A condenser coil close-up: matted with dirt before the cleaning, bright fins after."""
    image = Image.new("RGB", PHOTO_SIZE, (58, 64, 70))
    draw = ImageDraw.Draw(image)
    fins, grime = (196, 202, 208), (121, 98, 66)
    draw.rectangle((60, 60, 740, 500), fill=(150, 156, 162))
    for x in range(64, 740, 9):
        draw.line((x, 62, x, 498), fill=fins, width=3)
    if not clean:
        for band in range(6):
            top = 90 + band * 70
            draw.rectangle((60, top, 740, top + 28 + band % 3 * 9), fill=grime)
    _caption(draw, caption)
    return _jpeg(image)


def leak_photo(caption: str) -> bytes:
    """A brazed copper joint with leak-detector bubbles where the refrigerant escaped."""
    image = Image.new("RGB", PHOTO_SIZE, (40, 46, 52))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 270, 800, 330), fill=(184, 115, 51))
    draw.rectangle((360, 250, 440, 350), fill=(201, 140, 72))
    for n, (x, y) in enumerate(((405, 238), (430, 226), (452, 240), (418, 212), (470, 222))):
        radius = 8 + n % 3 * 4
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline="white", width=3)
    _caption(draw, caption)
    return _jpeg(image)


def _caption(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.rectangle((0, 540, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=(0, 0, 0))
    draw.text((20, 556), text, fill="white", font=ImageFont.load_default(size=24))


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
