"""One appliance's section of the EPA compliance report: heading, event log, leak rates and
their chart, repair episodes, leak inspections, deadlines and chronic-leaker status.
"""

from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.flowables import Flowable

from app import pdf_kit as kit
from reports.compliance_data import (
    DASH,
    EXCEEDED,
    Appliance,
    Deadline,
    LeakRateRecord,
    ServiceEvent,
    deadline_status,
    iso,
    lbs,
    regime_label,
    spaced,
)

EXCEEDED_COLOR = colors.HexColor("#b00020")


class ApplianceSections:
    """The per-appliance part of the report builder (mixed into it): it uses the builder's
    `para`, `cell`, `table`, `charge_text`, styles `s`, `brand`, `width` and `report`."""

    def appliance(self, a: Appliance) -> list[Flowable]:
        s = self.s
        title = f"{a.code} {DASH} {a.name}"
        summary = (
            f"{a.site} · {spaced(a.category) or 'category not set'} · {a.refrigerant or DASH} · "
            f"{regime_label(a.regimes)} · full charge {self.charge_text(a)} · "
            f"facility method {spaced(a.facility_method)}"
        )
        if a.inspection_frequency:
            summary += f" · leak inspections after an exceedance: {a.inspection_frequency}"
        parts: list[Flowable] = [
            CondPageBreak(2.5 * inch),
            Heading(title, s.appliance),
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
                    self.cell(spaced(e.kind)),
                    lbs(e.pounds_added),
                    lbs(e.pounds_removed),
                    lbs(e.pounds_returned),
                    self.cell(e.technician),
                    e.certification_number or DASH,
                    self.cell(e.leak_location),
                    self.cell(self.event_notes(e)),
                ]
            )
        return [header, self.table(rows, [6.5, 9, 5, 5, 5, 10, 10.5, 12, 24.5])]

    @staticmethod
    def event_notes(e: ServiceEvent) -> str:
        bits = []
        if e.exempt_reason:
            bits.append(f"exempt: {spaced(e.exempt_reason)}")
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
                    ("FONT", (6, index), (8, index), kit.FONT_BOLD, 7),
                ]
            rows.append(
                [
                    e.day.isoformat(),
                    rate.pounds_counted,
                    f"{rate.full_charge_lb} lb",
                    spaced(rate.method),
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
        plot.lines[0].strokeColor = self.brand
        plot.lines[0].symbol = makeMarker("FilledCircle", size=3)
        if threshold is not None:
            plot.lines[1].strokeColor = EXCEEDED_COLOR
            plot.lines[1].strokeDashArray = (3, 2)
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low, high
        plot.xValueAxis.valueSteps = date_steps(low, high)
        plot.xValueAxis.labelTextFormat = lambda v: date.fromordinal(int(v)).isoformat()
        plot.xValueAxis.labels.fontSize = 6
        plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top
        plot.yValueAxis.labels.fontSize = 6
        plot.yValueAxis.labelTextFormat = "%.0f%%"
        drawing.add(plot)
        legend = f"{a.code}: leak rate at each addition (%)"
        if threshold is not None:
            legend += f"; dashed line: threshold {threshold}%"
        drawing.add(String(40, height + 2, legend, fontName=kit.FONT, fontSize=7))
        return drawing

    def episodes(self, a: Appliance) -> list[Flowable]:
        if not a.episodes:
            return []
        parts: list[Flowable] = [Paragraph("Repair episodes", self.s.h2)]
        for ep in a.episodes:
            heading = (
                f"Discovered {ep.discovered_on.isoformat()} (day 0): leak rate "
                f"{ep.leak_rate_percent}% over the {ep.threshold_percent}% threshold; status "
                f"{spaced(ep.status)}; repaired {iso(ep.repaired_on)}; closed {iso(ep.closed_on)}"
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
                            spaced(t.kind),
                            t.day.isoformat(),
                            self.cell(t.test_method),
                            self.cell(t.leak_location),
                            result,
                            self.cell(t.technician),
                            t.certification_number or DASH,
                        ]
                    )
                block += [Spacer(1, 2), self.table(tests, [9, 5, 10, 10, 4, 8, 7])]
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
                    spaced(d.what),
                    iso(d.due_on),
                    iso(d.completed_on),
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
            rows.append([str(y.year), f"{y.percent}%", f"{lbs(y.full_charge_lb)} lb", status])
        return [
            Paragraph("Chronic-leaker status by calendar year", self.s.h2),
            self.table(rows, [3, 8, 4, 12], style),
        ]


class Heading(Paragraph):
    """A heading that gets an entry in the PDF's outline (bookmarks) when drawn."""


def date_steps(low: int, high: int) -> list[int]:
    span = max(high - low, 1)
    count = 6
    return [low + round(span * i / count) for i in range(count + 1)]
