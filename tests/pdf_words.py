"""Where a PDF's words are printed, read back with poppler's `pdftotext -bbox-layout`, to find
text printed over other text (a table cell overflowing into its neighbour) or off the page."""

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

# Glyph boxes of neighbouring words on one line may touch; this much overlap (in points) is
# kerning, not overprinting.
TOLERANCE = 0.5
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Word") -> bool:
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > TOLERANCE
            and min(self.y1, other.y1) - max(self.y0, other.y0) > TOLERANCE
        )


@lru_cache(maxsize=1)
def pdf_words(pdf: bytes) -> tuple[tuple[Word, ...], tuple[tuple[float, float], ...]]:
    """Every word with its box, and each page's (width, height). Kept for the next check of the
    same PDF (clashes and off_the_page read the same one)."""
    command = [shutil.which("pdftotext"), "-bbox-layout", "-", "-"]
    run = subprocess.run(  # noqa: S603  (our own arguments)
        command, input=pdf, capture_output=True, check=True, timeout=120
    )
    document = ElementTree.fromstring(run.stdout)  # noqa: S314  (poppler's output for our PDF)
    words, sizes = [], []
    for number, page in enumerate(document.iter(f"{XHTML}page"), start=1):
        sizes.append((float(page.get("width")), float(page.get("height"))))
        words += [
            Word(number, w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter(f"{XHTML}word")
        ]
    return tuple(words), tuple(sizes)


def clashes(pdf: bytes) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other."""
    words, _ = pdf_words(pdf)
    found = []
    by_page: dict[int, list[Word]] = {}
    for word in words:
        by_page.setdefault(word.page, []).append(word)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, word in enumerate(page_words):
            for other in page_words[i + 1 :]:
                if other.y0 >= word.y1:
                    break
                if word.overlaps(other):
                    found.append((word, other))
    return found


def off_the_page(pdf: bytes, margin: float = 18) -> list[Word]:
    """Words printed closer to the paper's edge than `margin` points (or past it)."""
    words, sizes = pdf_words(pdf)
    return [
        w
        for w in words
        if w.x0 < margin
        or w.y0 < margin
        or w.x1 > sizes[w.page - 1][0] - margin
        or w.y1 > sizes[w.page - 1][1] - margin
    ]


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, read by poppler's `pdftotext` (a fraction of what pypdf's extract_text
    takes on a page of many labels)."""
    command = [shutil.which("pdftotext"), "-", "-"]
    run = subprocess.run(  # noqa: S603  (our own arguments)
        command, input=pdf, capture_output=True, check=True, timeout=120
    )
    return run.stdout.decode().split("\f")[:-1]  # each page ends with a form feed
