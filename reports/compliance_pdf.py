"""The audit-ready EPA refrigerant compliance report (40 CFR 82.157(l), 84.106(l)) as a PDF.

Pure: it takes plain data (the dataclasses below, with leak rates already computed and
rounded for display by the caller) and returns PDF bytes; it knows nothing about Flask or
the database. Order: cover, appliance inventory, one section per appliance (event log, leak
rate at each addition, chart, repair episodes, leak inspections, chronic-leaker status),
technician certifications, and the interpretations used. Every page carries the company's
name and "page N of M".
"""

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from app import pdf_kit as kit
from reports.compliance_data import (
    DASH,
    Appliance,
    ChargeRecord,
    ComplianceReport,
    iso,
    lbs,
    regime_label,
    spaced,
)
from reports.compliance_sections import ApplianceSections, Heading

PAGE_SIZE = landscape(LETTER)
MARGIN = 0.5 * inch
FOOTER = kit.Footer(PAGE_SIZE[0], MARGIN, y=0.3 * inch)

Progress = Callable[[int], None]


class _Styles:
    def __init__(self, brand: colors.Color) -> None:
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("CoverTitle", parent=base["Title"], textColor=brand)
        self.h1 = ParagraphStyle(
            "H1", parent=base["Heading1"], fontSize=15, spaceBefore=0, textColor=brand
        )
        self.appliance = ParagraphStyle("ApplianceHeading", parent=self.h1)
        self.h2 = ParagraphStyle(
            "H2", parent=base["Heading3"], fontSize=10.5, spaceBefore=8, keepWithNext=1
        )
        self.body = ParagraphStyle("Body", parent=base["BodyText"], fontSize=9.5, leading=12)
        self.cell = ParagraphStyle("Cell", parent=base["BodyText"], fontSize=7, leading=8.4)
        self.head = ParagraphStyle("Head", parent=self.cell, fontName=kit.FONT_BOLD)
        self.small = ParagraphStyle("Small", parent=self.body, fontSize=8, leading=10)
        self.bullet = ParagraphStyle("Bullet", parent=self.body, leftIndent=12, bulletIndent=2)
        self.numbered = ParagraphStyle(
            "Numbered", parent=self.body, leftIndent=20, bulletIndent=2, spaceAfter=3
        )


CELL_FONT_SIZE = 7
CELL_PADDING = 2.5

GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), kit.FONT, CELL_FONT_SIZE),
        ("FONT", (0, 0), (-1, 0), kit.FONT_BOLD, CELL_FONT_SIZE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
)


class _Builder(ApplianceSections):
    def __init__(self, report: ComplianceReport) -> None:
        self.report = report
        self.brand = kit.brand_color(report.brand_color)
        self.s = _Styles(self.brand)
        self.width = PAGE_SIZE[0] - 2 * MARGIN

    def para(self, text: str, style=None) -> Paragraph:
        return Paragraph(escape(text or ""), style or self.s.cell)

    def cell(self, text: str):
        """Plain strings draw fastest; only text that may need wrapping becomes a Paragraph
        (`table` wraps any other string that turns out wider than its column)."""
        return self.para(text) if len(text or "") > 18 else (text or "")

    def fitted(self, value, column_width: float):
        """A table cell that stays inside its column: a plain string wider than the column
        becomes a wrapping Paragraph (which also breaks a word longer than the column)."""
        room = column_width - 2 * CELL_PADDING
        if isinstance(value, str) and stringWidth(value, kit.FONT, CELL_FONT_SIZE) > room:
            return self.para(value)
        return value

    def table(self, rows, widths, extra=()) -> Table:
        rows[0] = [Paragraph(escape(text), self.s.head) for text in rows[0]]
        total = sum(widths)
        columns = [w * self.width / total for w in widths]
        rows = [
            [self.fitted(value, w) for value, w in zip(row, columns, strict=True)] for row in rows
        ]
        table = Table(rows, colWidths=columns, repeatRows=1)
        table.setStyle(GRID)
        if extra:
            table.setStyle(TableStyle(list(extra)))
        return table

    # The parts, in order

    def cover(self) -> list[Flowable]:
        r, s = self.report, self.s
        regimes = sorted({regime for a in r.appliances for regime in a.regimes})
        rows = [
            ["Owner / operator", self.para(r.customer, s.body)],
            ["Period", f"{r.date_from.isoformat()} to {r.date_to.isoformat()}"],
            ["Data through", r.data_through.isoformat()],
            ["Regimes present", regime_label(regimes)],
            ["Appliances", str(len(r.appliances))],
            ["Generated", r.generated_at.strftime("%Y-%m-%d %H:%M %Z")],
            ["Prepared by", self.para(r.company, s.body)],
        ]
        cover = Table(rows, colWidths=[1.8 * inch, self.width - 1.8 * inch], hAlign="LEFT")
        cover.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (0, -1), kit.FONT_BOLD, 10),
                    ("FONT", (1, 0), (1, -1), kit.FONT, 10),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        sites = [["Site", "Address", "Leak-rate method"]] + [
            [self.para(site.name), self.para(site.address), spaced(site.leak_rate_method)]
            for site in r.sites
        ]
        return [
            Spacer(1, 0.6 * inch),
            Paragraph(escape(r.title), s.title),
            Spacer(1, 0.2 * inch),
            cover,
            Spacer(1, 0.25 * inch),
            Paragraph("Sites", s.h2),
            self.table(sites, [3, 6, 2]),
            PageBreak(),
        ]

    def inventory(self) -> list[Flowable]:
        rows = [
            [
                "Code",
                "Appliance",
                "Site",
                "Category",
                "Refrigerant",
                "Regime(s)",
                "Full charge, method and revisions",
                "Installed",
                "Excluded subsector",
                "Facility method",
            ]
        ]
        for a in self.report.appliances:
            rows.append(
                [
                    a.code,
                    self.cell(a.name),
                    self.cell(a.site),
                    self.cell(spaced(a.category) or "not set"),
                    a.refrigerant or DASH,
                    self.cell(regime_label(a.regimes)),
                    self.para(self.charge_text(a)),
                    iso(a.install_date),
                    "yes" if a.excluded_subsector else "no",
                    self.cell(spaced(a.facility_method)),
                ]
            )
        return [
            Paragraph("Appliance inventory", self.s.h1),
            self.table(rows, [7, 12, 11, 10, 6.5, 7, 20, 6.5, 6, 7.5]),
            PageBreak(),
        ]

    def charge_text(self, a: Appliance) -> str:
        now = f"{lbs(a.full_charge_lb)} lb ({spaced(a.charge_method) or 'method not recorded'})"
        revisions = [self.revision_text(rev) for rev in a.charge_revisions]
        return now + ("; revisions: " + "; ".join(revisions) if revisions else "")

    @staticmethod
    def revision_text(rev: ChargeRecord) -> str:
        method = spaced(rev.method) or "method not recorded"
        text = f"from {iso(rev.effective_on)}: {lbs(rev.full_charge_lb)} lb {method}"
        if rev.range_low_lb is not None and rev.range_high_lb is not None:
            text += f" (range {lbs(rev.range_low_lb)}{DASH}{lbs(rev.range_high_lb)} lb)"
        return text

    def technicians(self) -> list[Flowable]:
        rows = [["Technician", "EPA 608 certification number", "Events performed in the period"]]
        for t in self.report.technicians:
            rows.append([self.cell(t.name), t.certification_number or DASH, str(t.events)])
        if len(rows) == 1:
            rows.append(["No technician recorded", DASH, "0"])
        return [
            PageBreak(),
            Heading("Technician certifications", self.s.h1),
            self.table(rows, [8, 6, 5]),
        ]

    def notes(self) -> list[Flowable]:
        """The readings of the rules as plain numbered sentences under their topics; their
        basis (the reference's tags) in an appendix after them."""
        s, notes = self.s, self.report.interpretations
        parts: list[Flowable] = [
            PageBreak(),
            Heading("How this report reads the rules", s.h1),
            self.para(notes.introduction, s.body),
        ]
        for topic, readings in notes.topics:
            parts.append(Paragraph(escape(topic), s.h2))
            parts += [
                Paragraph(escape(r.text), s.numbered, bulletText=f"{r.number}.") for r in readings
            ]
        parts += [Spacer(1, 6), self.para(notes.closing, s.body)]
        rows = [["No.", "Basis", "Reading"]] + [
            [str(r.number), f"{r.tag} {r.basis}", _opening(r.text)] for r in notes.readings
        ]
        return parts + [
            CondPageBreak(2.5 * inch),
            Heading("Appendix: the basis of each reading", s.h1),
            self.para(
                "[T] rule text seen quoted; [S] secondary sources agree, text not seen; "
                "[I] our interpretation or policy; [?] unconfirmed or unsettled.",
                s.small,
            ),
            Spacer(1, 4),
            self.table(rows, [2, 14, 30]),
        ]


def _opening(text: str, words: int = 12) -> str:
    """The first words of a reading, to find it by in the appendix."""
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _numbered_canvas(company: str, title: str):
    """A canvas that holds pages back to print "page N of M" and the company on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self) -> None:  # noqa: N802  (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                FOOTER.draw(self, company, title, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable) -> None:  # noqa: N802  (reportlab's name)
        if isinstance(flowable, Heading):
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0, closed=True)


def build_report(report: ComplianceReport, progress: Progress | None = None) -> bytes:
    """The report as PDF bytes; `progress(percent)` is called now and then while it is built."""
    builder = _Builder(report)
    last = [-1]

    def tell(percent: int) -> None:
        if progress is not None and percent >= last[0] + 5:
            last[0] = percent
            progress(percent)

    tell(0)
    story = builder.cover() + builder.inventory()
    count = len(report.appliances)
    for number, appliance in enumerate(report.appliances, start=1):
        story += builder.appliance(appliance)
        tell(20 * number // max(count, 1))
    story += builder.technicians() + builder.notes()

    buffer = io.BytesIO()
    period = f"{report.date_from.isoformat()} to {report.date_to.isoformat()}"
    doc = kit.document(
        buffer,
        cls=_Doc,
        pagesize=PAGE_SIZE,
        margin=MARGIN,
        bottom=0.6 * inch,
        title=f"{report.title} {period}",
        author=report.company,
        subject=report.customer,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    size = [1]

    def on_progress(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            size[0] = max(value, 1)
        elif kind == "PROGRESS":
            tell(20 + min(79, 79 * value // size[0]))

    doc.setProgressCallBack(on_progress)
    footer = f"{report.customer} {DASH} {period}"
    doc.build(story, canvasmaker=_numbered_canvas(report.company, footer))
    return buffer.getvalue()
