"""The audit-ready EPA refrigerant compliance report (40 CFR 82.157(l), 84.106(l)) as a PDF.

Pure: it takes plain data (the dataclasses below, with leak rates already computed and
rounded for display by the caller) and returns PDF bytes; it knows nothing about Flask or
the database. Order: cover, appliance inventory, one section per appliance (event log, leak
rate at each addition, chart, repair episodes, leak inspections, chronic-leaker status),
technician certifications, and the interpretations used. Every page carries the company's
name and "page N of M".
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

EXCEEDED = "EXCEEDED"
DASH = "\N{EN DASH}"
PAGE_SIZE = landscape(LETTER)
MARGIN = 0.5 * inch
BRAND = colors.HexColor("#0b5cad")
EXCEEDED_COLOR = colors.HexColor("#b00020")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Site:
    """A service address the report covers, with the facility's leak-rate method."""

    name: str
    address: str
    leak_rate_method: str


@dataclass(frozen=True)
class ChargeRecord:
    """A full charge from a date on and how it was determined (None: the unit's own record)."""

    effective_on: date | None
    full_charge_lb: Decimal
    method: str
    range_low_lb: Decimal | None = None
    range_high_lb: Decimal | None = None
    notes: str = ""


@dataclass(frozen=True)
class LeakRateRecord:
    """The leak rate stored with an addition, and the inputs that produced it."""

    percent: str  # display value, rounded half-up to 2 decimals
    method: str
    regime: str
    threshold: int | None
    exceeded: bool
    full_charge_lb: str
    pounds_counted: str
    days: int | None = None  # annualizing: D
    previous_addition_on: str | None = None
    window_start: str | None = None  # rolling average
    reset_by_test_on: str | None = None
    first_part84_calculation: bool = False
    prior_date_unknown: bool = False


@dataclass(frozen=True)
class ServiceEvent:
    """One refrigerant event as recorded (pounds, who did it, what was found)."""

    day: date
    kind: str
    pounds_added: Decimal = Decimal(0)
    pounds_removed: Decimal = Decimal(0)
    pounds_returned: Decimal = Decimal(0)
    technician: str = ""
    certification_number: str = ""
    leak_location: str = ""
    notes: str = ""
    parts_serviced: str = ""
    exempt_reason: str = ""
    test_method: str = ""
    test_passed: bool | None = None
    leak_found: bool | None = None
    leak_rate: LeakRateRecord | None = None


@dataclass(frozen=True)
class Deadline:
    """Something due by a date, and when it was done (None: not yet)."""

    what: str
    due_on: date
    completed_on: date | None = None
    suspended_on: date | None = None  # mothballed: the clock stopped that day
    ended_reason: str = ""  # ended without being done (the appliance was retired, say)
    notes: str = ""


@dataclass(frozen=True)
class Episode:
    """A repair episode: what opened it, its deadlines and its verification tests."""

    discovered_on: date
    status: str
    leak_rate_percent: str
    threshold_percent: int
    repaired_on: date | None = None
    closed_on: date | None = None
    retrofit_decided_on: date | None = None
    leak_locations: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    tests: tuple[ServiceEvent, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ChronicYear:
    """Countable additions in a calendar year as a percentage of the full charge."""

    year: int
    percent: str
    full_charge_lb: Decimal
    chronic: bool
    report_due: date
    in_effect: bool = True  # False: no regime covering the appliance applied that year


@dataclass(frozen=True)
class Appliance:
    """One appliance with its records for the period."""

    code: str
    name: str
    site: str
    category: str
    refrigerant: str
    regimes: tuple[str, ...]
    full_charge_lb: Decimal | None
    charge_method: str
    install_date: date | None
    excluded_subsector: bool
    facility_method: str
    charge_revisions: tuple[ChargeRecord, ...] = ()
    inspection_frequency: str = ""
    regime_note: str = ""  # why the regime could not be decided, if it could not
    events: tuple[ServiceEvent, ...] = ()
    episodes: tuple[Episode, ...] = ()
    inspections_due: tuple[Deadline, ...] = ()
    other_deadlines: tuple[Deadline, ...] = ()  # chronic-leak reports, retrofit plans
    chronic_years: tuple[ChronicYear, ...] = ()


@dataclass(frozen=True)
class Technician:
    name: str
    certification_number: str
    events: int


@dataclass(frozen=True)
class ComplianceReport:
    """Everything the report shows."""

    company: str
    customer: str
    sites: tuple[Site, ...]
    date_from: date
    date_to: date
    data_through: date
    generated_at: datetime  # aware, in the company's time zone
    appliances: tuple[Appliance, ...]
    technicians: tuple[Technician, ...] = ()
    interpretations: tuple[str, ...] = ()
    title: str = "EPA refrigerant compliance report"


def deadline_status(
    due_on: date,
    completed_on: date | None,
    as_of: date,
    *,
    suspended_on: date | None = None,
    ended_reason: str = "",
) -> str:
    """on time, late, open (not due yet), overdue (as of the data-through date), suspended
    (mothballed) or not required."""
    if ended_reason:
        return "not required"
    if suspended_on is not None and completed_on is None:
        return f"suspended: mothballed since {suspended_on.isoformat()}"
    if completed_on is not None:
        return "on time" if completed_on <= due_on else "late"
    return "overdue" if due_on < as_of else "open"


def regime_label(regimes: Sequence[str]) -> str:
    names = {"part82": "Part 82", "part84": "Part 84"}
    return " + ".join(names.get(r, r) for r in sorted(regimes)) or "Not covered"


def _words(value: str) -> str:
    return (value or "").replace("_", " ")


def _day(value: date | None) -> str:
    return value.isoformat() if value else DASH


def _lb(value: Decimal | None) -> str:
    if value is None:
        return DASH
    return f"{value:.2f}" if value else "0"


class _Styles:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("CoverTitle", parent=base["Title"], textColor=BRAND)
        self.h1 = ParagraphStyle(
            "H1", parent=base["Heading1"], fontSize=15, spaceBefore=0, textColor=BRAND
        )
        self.appliance = ParagraphStyle("ApplianceHeading", parent=self.h1)
        self.h2 = ParagraphStyle(
            "H2", parent=base["Heading3"], fontSize=10.5, spaceBefore=8, keepWithNext=1
        )
        self.body = ParagraphStyle("Body", parent=base["BodyText"], fontSize=9.5, leading=12)
        self.cell = ParagraphStyle("Cell", parent=base["BodyText"], fontSize=7, leading=8.4)
        self.head = ParagraphStyle("Head", parent=self.cell, fontName="Helvetica-Bold")
        self.small = ParagraphStyle("Small", parent=self.body, fontSize=8, leading=10)
        self.bullet = ParagraphStyle("Bullet", parent=self.body, leftIndent=12, bulletIndent=2)


GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
)


class _Builder:
    def __init__(self, report: ComplianceReport) -> None:
        self.report = report
        self.s = _Styles()
        self.width = PAGE_SIZE[0] - 2 * MARGIN

    def para(self, text: str, style=None) -> Paragraph:
        return Paragraph(escape(text or ""), style or self.s.cell)

    def cell(self, text: str):
        """Plain strings draw fastest; only text that may need wrapping becomes a Paragraph."""
        return self.para(text) if len(text or "") > 18 else (text or "")

    def table(self, rows, widths, extra=()) -> Table:
        rows[0] = [Paragraph(escape(text), self.s.head) for text in rows[0]]
        total = sum(widths)
        table = Table(rows, colWidths=[w * self.width / total for w in widths], repeatRows=1)
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
                    ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 10),
                    ("FONT", (1, 0), (1, -1), "Helvetica", 10),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        sites = [["Site", "Address", "Leak-rate method"]] + [
            [self.para(site.name), self.para(site.address), _words(site.leak_rate_method)]
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
                    self.cell(_words(a.category) or "not set"),
                    a.refrigerant or DASH,
                    self.cell(regime_label(a.regimes)),
                    self.para(self.charge_text(a)),
                    _day(a.install_date),
                    "yes" if a.excluded_subsector else "no",
                    self.cell(_words(a.facility_method)),
                ]
            )
        return [
            Paragraph("Appliance inventory", self.s.h1),
            self.table(rows, [7, 12, 11, 10, 6.5, 7, 20, 6.5, 6, 7.5]),
            PageBreak(),
        ]

    def charge_text(self, a: Appliance) -> str:
        now = f"{_lb(a.full_charge_lb)} lb ({_words(a.charge_method) or 'method not recorded'})"
        revisions = [self.revision_text(rev) for rev in a.charge_revisions]
        return now + ("; revisions: " + "; ".join(revisions) if revisions else "")

    @staticmethod
    def revision_text(rev: ChargeRecord) -> str:
        method = _words(rev.method) or "method not recorded"
        text = f"from {_day(rev.effective_on)}: {_lb(rev.full_charge_lb)} lb {method}"
        if rev.range_low_lb is not None and rev.range_high_lb is not None:
            text += f" (range {_lb(rev.range_low_lb)}{DASH}{_lb(rev.range_high_lb)} lb)"
        return text

    def appliance(self, a: Appliance) -> list[Flowable]:
        s = self.s
        title = f"{a.code} {DASH} {a.name}"
        summary = (
            f"{a.site} · {_words(a.category) or 'category not set'} · {a.refrigerant or DASH} · "
            f"{regime_label(a.regimes)} · full charge {self.charge_text(a)} · "
            f"facility method {_words(a.facility_method)}"
        )
        if a.inspection_frequency:
            summary += f" · leak inspections after an exceedance: {a.inspection_frequency}"
        parts: list[Flowable] = [
            CondPageBreak(2.5 * inch),
            _Heading(title, s.appliance),
            self.para(summary, s.small),
        ]
        if a.regime_note:
            parts.append(self.para(a.regime_note, s.small))
        parts += self.event_log(a)
        parts += self.leak_rates(a)
        parts += self.episodes(a)
        parts += self.inspections(a)
        parts += self.chronic(a)
        return parts

    def event_log(self, a: Appliance) -> list[Flowable]:
        header = Paragraph("Service events in the period", self.s.h2)
        if not a.events:
            return [header, self.para("No refrigerant events in the period.", self.s.small)]
        rows = [
            [
                "Date",
                "Type",
                "lb added",
                "lb removed",
                "lb returned",
                "Technician",
                "Cert. no.",
                "Leak location",
                "Notes",
            ]
        ]
        for e in a.events:
            rows.append(
                [
                    e.day.isoformat(),
                    self.cell(_words(e.kind)),
                    _lb(e.pounds_added),
                    _lb(e.pounds_removed),
                    _lb(e.pounds_returned),
                    self.cell(e.technician),
                    e.certification_number or DASH,
                    self.cell(e.leak_location),
                    self.cell(self.event_notes(e)),
                ]
            )
        return [header, self.table(rows, [6.5, 9, 5, 5, 5, 10, 7, 12, 28])]

    @staticmethod
    def event_notes(e: ServiceEvent) -> str:
        bits = []
        if e.exempt_reason:
            bits.append(f"exempt: {_words(e.exempt_reason)}")
        if e.test_method:
            bits.append(f"test: {e.test_method}")
        if e.test_passed is not None:
            bits.append("passed" if e.test_passed else "FAILED")
        if e.leak_found is not None:
            bits.append("leak found" if e.leak_found else "no leak found")
        if e.parts_serviced:
            bits.append(f"parts: {e.parts_serviced}")
        if e.leak_rate is not None:
            flag = f" {EXCEEDED}" if e.leak_rate.exceeded else ""
            bits.append(f"leak rate {e.leak_rate.percent}%{flag}")
        if e.notes:
            bits.append(e.notes)
        return "; ".join(bits)

    def leak_rates(self, a: Appliance) -> list[Flowable]:
        rated = [e for e in a.events if e.leak_rate is not None]
        if not rated:
            return []
        rows = [
            [
                "Date",
                "lb counted",
                "Full charge used",
                "Method",
                "Regime",
                "D (days) / window",
                "Leak rate %",
                "Threshold %",
                "Result",
            ]
        ]
        style = []
        for index, e in enumerate(rated, start=1):
            rate = e.leak_rate
            if rate.exceeded:
                style += [
                    ("TEXTCOLOR", (6, index), (8, index), EXCEEDED_COLOR),
                    ("FONT", (6, index), (8, index), "Helvetica-Bold", 7),
                ]
            rows.append(
                [
                    e.day.isoformat(),
                    rate.pounds_counted,
                    f"{rate.full_charge_lb} lb",
                    _words(rate.method),
                    regime_label([rate.regime]) if rate.regime else DASH,
                    self.cell(self.inputs_text(rate)),
                    rate.percent,
                    DASH if rate.threshold is None else str(rate.threshold),
                    EXCEEDED if rate.exceeded else "within",
                ]
            )
        return [
            Paragraph("Leak rate at each addition", self.s.h2),
            self.table(rows, [6.5, 6, 7, 8, 6, 26, 6.5, 6, 7], style),
            self.chart(a, rated),
        ]

    @staticmethod
    def inputs_text(rate: LeakRateRecord) -> str:
        if rate.method == "rolling_average":
            text = f"sum {rate.pounds_counted} lb in window from {rate.window_start or DASH}"
            if rate.reset_by_test_on:
                text += f"; restarted by follow-up test {rate.reset_by_test_on}"
            return text
        text = f"D = {rate.days if rate.days is not None else DASH}"
        if rate.previous_addition_on:
            text += f" since {rate.previous_addition_on}"
        if rate.first_part84_calculation:
            text += " (first Part 84 calculation)"
        if rate.prior_date_unknown:
            text += " (prior date unknown)"
        return text

    def chart(self, a: Appliance, rated: list[ServiceEvent]) -> Flowable:
        points = [(e.day.toordinal(), float(e.leak_rate.percent)) for e in rated]
        thresholds = [e.leak_rate.threshold for e in rated if e.leak_rate.threshold is not None]
        threshold = max(thresholds) if thresholds else None
        low, high = points[0][0], points[-1][0]
        if high - low < 30:
            low, high = low - 15, high + 15
        top = max([y for _, y in points] + [threshold or 0]) * 1.15 or 1.0
        width, height = self.width * 0.62, 1.9 * inch
        drawing = Drawing(width, height + 14)
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = 40, 22, width - 55, height - 26
        data = [points]
        if threshold is not None:
            data.append([(low, float(threshold)), (high, float(threshold))])
        plot.data = data
        plot.joinedLines = 1
        plot.lines[0].strokeColor = BRAND
        plot.lines[0].symbol = makeMarker("FilledCircle", size=3)
        if threshold is not None:
            plot.lines[1].strokeColor = EXCEEDED_COLOR
            plot.lines[1].strokeDashArray = (3, 2)
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low, high
        plot.xValueAxis.valueSteps = _date_steps(low, high)
        plot.xValueAxis.labelTextFormat = lambda v: date.fromordinal(int(v)).isoformat()
        plot.xValueAxis.labels.fontSize = 6
        plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top
        plot.yValueAxis.labels.fontSize = 6
        plot.yValueAxis.labelTextFormat = "%.0f%%"
        drawing.add(plot)
        legend = f"{a.code}: leak rate at each addition (%)"
        if threshold is not None:
            legend += f"; dashed line: threshold {threshold}%"
        drawing.add(String(40, height + 2, legend, fontName="Helvetica", fontSize=7))
        return drawing

    def episodes(self, a: Appliance) -> list[Flowable]:
        if not a.episodes:
            return []
        parts: list[Flowable] = [Paragraph("Repair episodes", self.s.h2)]
        for ep in a.episodes:
            heading = (
                f"Discovered {ep.discovered_on.isoformat()} (day 0): leak rate "
                f"{ep.leak_rate_percent}% over the {ep.threshold_percent}% threshold; status "
                f"{_words(ep.status)}; repaired {_day(ep.repaired_on)}; closed {_day(ep.closed_on)}"
            )
            if ep.retrofit_decided_on:
                heading += f"; decided to retrofit or retire on {ep.retrofit_decided_on}"
            if ep.leak_locations:
                heading += "; leak locations: " + ", ".join(ep.leak_locations)
            if ep.notes:
                heading += f"; {ep.notes}"
            block: list[Flowable] = [self.para(heading, self.s.small), Spacer(1, 2)]
            block.append(self.deadlines(ep.deadlines))
            if ep.tests:
                tests = [["Test", "Date", "Method", "Location", "Result", "Technician", "Cert."]]
                for t in ep.tests:
                    result = (
                        DASH if t.test_passed is None else ("passed" if t.test_passed else "failed")
                    )
                    tests.append(
                        [
                            _words(t.kind),
                            t.day.isoformat(),
                            self.cell(t.test_method),
                            self.cell(t.leak_location),
                            result,
                            self.cell(t.technician),
                            t.certification_number or DASH,
                        ]
                    )
                block += [Spacer(1, 2), self.table(tests, [9, 5, 10, 10, 4, 8, 6])]
            parts += [KeepTogether(block), Spacer(1, 4)]
        return parts

    def inspections(self, a: Appliance) -> list[Flowable]:
        done = [e for e in a.events if e.kind == "leak_inspection"]
        due = list(a.inspections_due) + list(a.other_deadlines)
        if not done and not due:
            return []
        parts: list[Flowable] = [Paragraph("Leak inspections and other deadlines", self.s.h2)]
        if done:
            rows = [["Inspected", "Method", "Leaks found", "Location", "Technician", "Cert."]]
            for e in done:
                found = DASH if e.leak_found is None else ("yes" if e.leak_found else "no")
                rows.append(
                    [
                        e.day.isoformat(),
                        self.cell(e.test_method),
                        found,
                        self.cell(e.leak_location),
                        self.cell(e.technician),
                        e.certification_number or DASH,
                    ]
                )
            parts.append(self.table(rows, [5, 10, 4, 10, 8, 6]))
        if due:
            parts += [Spacer(1, 3), self.deadlines(due)]
        return parts

    def deadlines(self, deadlines: Sequence[Deadline]) -> Table:
        """Requirement, due, done, how the deadline stands, and why (moved, ended)."""
        rows = [["Requirement", "Due", "Done", "Deadline", "Notes"]]
        style = []
        for index, d in enumerate(deadlines, start=1):
            status = deadline_status(
                d.due_on,
                d.completed_on,
                self.report.data_through,
                suspended_on=d.suspended_on,
                ended_reason=d.ended_reason,
            )
            if status in ("late", "overdue"):
                style.append(("TEXTCOLOR", (3, index), (3, index), EXCEEDED_COLOR))
            notes = " ".join(part for part in (d.ended_reason, d.notes) if part)
            rows.append(
                [
                    _words(d.what),
                    _day(d.due_on),
                    _day(d.completed_on),
                    self.cell(status),
                    self.cell(notes),
                ]
            )
        return self.table(rows, [8, 4, 4, 5, 14], style)

    def chronic(self, a: Appliance) -> list[Flowable]:
        if not a.chronic_years:
            return []
        rows = [["Year", "Countable additions, % of full charge", "Full charge", "Status"]]
        style = []
        for index, y in enumerate(a.chronic_years, start=1):
            if not y.in_effect:
                status = "leak-repair rules not yet in effect"
            elif y.chronic:
                status = f"CHRONIC LEAKER (≥125%), report due {y.report_due.isoformat()}"
            else:
                status = "below 125%"
            if y.chronic:
                style.append(("TEXTCOLOR", (3, index), (3, index), EXCEEDED_COLOR))
            rows.append([str(y.year), f"{y.percent}%", f"{_lb(y.full_charge_lb)} lb", status])
        return [
            Paragraph("Chronic-leaker status by calendar year", self.s.h2),
            self.table(rows, [3, 8, 4, 12], style),
        ]

    def technicians(self) -> list[Flowable]:
        rows = [["Technician", "EPA 608 certification number", "Events performed in the period"]]
        for t in self.report.technicians:
            rows.append([self.cell(t.name), t.certification_number or DASH, str(t.events)])
        if len(rows) == 1:
            rows.append(["No technician recorded", DASH, "0"])
        return [
            PageBreak(),
            _Heading("Technician certifications", self.s.h1),
            self.table(rows, [8, 6, 5]),
        ]

    def notes(self) -> list[Flowable]:
        s = self.s
        return [
            PageBreak(),
            _Heading("Interpretations used in this report", s.h1),
            *[
                Paragraph(escape(text), s.bullet, bulletText="•")
                for text in self.report.interpretations
            ],
        ]


class _Heading(Paragraph):
    """A heading that gets an entry in the PDF's outline (bookmarks) when drawn."""


def _date_steps(low: int, high: int) -> list[int]:
    span = max(high - low, 1)
    count = 6
    return [low + round(span * i / count) for i in range(count + 1)]


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
                self.setFont("Helvetica", 7.5)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGIN, 0.3 * inch, company)
                self.drawCentredString(PAGE_SIZE[0] / 2, 0.3 * inch, title)
                self.drawRightString(
                    PAGE_SIZE[0] - MARGIN, 0.3 * inch, f"Page {self._pageNumber} of {total}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable) -> None:  # noqa: N802  (reportlab's name)
        if isinstance(flowable, _Heading):
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
    doc = _Doc(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=0.6 * inch,
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
