"""The compliance report's notes page: every reading of the rules the figures rely on, as
numbered sentences under three topics, and an appendix giving each reading's basis.

The basis is the reference's tag (../shared/domain/epa-refrigerant-compliance.md): [T] rule
text seen quoted, [S] secondary sources agree, [I] our interpretation or policy, [?]
unconfirmed or unsettled, where the conservative reading is the one used. The tags stay out
of the sentences (a reader wants the reading first) and are listed, in words, in the appendix.
Every [?] and [I] item the code relies on is here; a test checks the PDF's text for each.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from reports.compliance_data import Interpretations, Reading

INTRODUCTION = _l(
    "The figures in this report rest on the readings of the rules below. Where the rules are "
    "unsettled, the report takes the conservative reading. The appendix gives the basis of "
    "each reading."
)

BASIS = {
    "[T]": _l("the rule's text, seen quoted"),
    "[S]": _l("secondary sources agree; the rule's text was not seen"),
    "[I]": _l("our interpretation or company policy"),
    "[?]": _l("unconfirmed or unsettled; the conservative reading is used"),
}

ADDITIONS = (
    (
        "[I]",
        _l(
            "Additions made on the same day are summed into one addition; the annualizing "
            "period counts from the previous distinct addition day."
        ),
    ),
    (
        "[?]",
        _l(
            "Charging over several days for one leak is computed as separate additions, the "
            "conservative reading of a rule that allows grouping but gives no test."
        ),
    ),
    (
        "[I]",
        _l(
            "The initial charge and exempt additions (seasonal variance, after a retrofit, "
            "purged or destroyed) end the annualizing period but add no pounds. An addition is "
            "exempt only when the technician records the reason; a seasonal variance is "
            "recorded as the addition and the later removal, each marked as such."
        ),
    ),
    (
        "[?]",
        _l(
            "Refrigerant recovered from an appliance and returned to it during a repair is not "
            "addressed in the rule text we found: it is recorded as part of the recharge, "
            "subtracted from the pounds added, and both are shown (lb added, lb returned)."
        ),
    ),
    (
        "[I]",
        _l(
            "Each addition uses the full charge in effect on its day (every revision is kept, "
            "the first from the installation); an addition before the first full charge on "
            "record is refused, never computed with a later value."
        ),
    ),
    (
        "[I]",
        _l(
            "Under Part 82 the first addition counts the days since installation (at most "
            "365); when the installation date is unknown, 365 days are used and the rate is "
            "flagged “prior date unknown”."
        ),
    ),
    (
        "[T]",
        _l(
            "The first Part 84 annualizing calculation on or after 2026-01-01 uses D = 365, "
            "and Part 84 calculations ignore additions made before 2026-01-01."
        ),
    ),
    (
        "[I]",
        _l(
            "The rolling-average window is (evaluation day − 365 days, evaluation day]: the "
            "day 365 days before is excluded, the evaluation day included; a successful "
            "follow-up verification test dated before the evaluation day restarts it."
        ),
    ),
    (
        "[?]",
        _l(
            "One leak-rate method per facility; Part 84 allows a switch only in limited cases. "
            "Each addition keeps the method its site used when it was recorded."
        ),
    ),
)

RULES = (
    (
        "[?]",
        _l(
            "How the two rules combine for an ODS/HFC blend of 50 lb or more is unsettled: the "
            "appliance is evaluated under both and the stricter outcome is used."
        ),
    ),
    (
        "[?]",
        _l(
            "The Part 84 excluded-subsector flag (residential and light-commercial air "
            "conditioning and heat pumps) is set by a person, never inferred; EPA documents "
            "disagree on whether VRF systems are in that subsector, so a VRF system is covered "
            "unless a person decided otherwise."
        ),
    ),
    (
        "[?]",
        _l(
            "An appliance is industrial process refrigeration (a 30 percent threshold) when a "
            "person categorized it so; a system serving several uses is categorized as "
            "industrial process refrigeration only when 50 percent or more of its capacity is "
            "used for it."
        ),
    ),
    (
        "[S]",
        _l(
            "Part 82 additions before 2019-01-01 are judged by the thresholds of 82.156(i): "
            "35 percent for commercial and industrial process refrigeration, 15 percent for "
            "comfort cooling and other appliances."
        ),
    ),
    (
        "[T]",
        _l(
            "A leak rate exceeds the threshold only when it is strictly greater than it; "
            "displayed values are rounded half-up to 2 decimals, so a rate shown as the "
            "threshold itself may still be just above or below it."
        ),
    ),
)

AFTER_AN_EXCEEDANCE = (
    (
        "[I]",
        _l(
            "Day 0 of the deadlines is the date of the addition whose leak rate exceeded; "
            "dates are the company's local calendar dates and a deadline is day 0 plus the "
            "stated number of calendar days."
        ),
    ),
    (
        "[I]",
        _l(
            "An appliance has at most one open repair episode; a new exceedance while one is "
            "open does not restart its deadlines."
        ),
    ),
    (
        "[?]",
        _l(
            "When the appliance is evacuated for the repair, the initial verification test is "
            "due before it is recharged; the deadline shown is the outer limit (30 days, or "
            "120 for an industrial process shutdown), and the event log shows the test and "
            "recharge dates."
        ),
    ),
    (
        "[?]",
        _l(
            "The follow-up verification test is due 10 days after a passed initial test, also "
            "when an evacuated appliance is only back in normal operation later (the earlier "
            "of the two readings)."
        ),
    ),
    (
        "[?]",
        _l(
            "Repair-deadline extensions other than the 120 days for an industrial process "
            "shutdown (safety, other laws, parts unavailable) and their caps are unconfirmed: "
            "none is applied, so the deadlines shown are 30 or 120 days."
        ),
    ),
    (
        "[I]",
        _l(
            "A mothballed appliance's repair clock stops (84.106(d)(3)): the repair and "
            "verification deadlines are suspended from the mothballing until refrigerant is "
            "next added, and then move on by the days suspended."
        ),
    ),
    (
        "[I]",
        _l(
            "A retrofit or retirement plan is due 30 days after the owner decides to retrofit "
            "or retire the appliance, or after a repair or verification deadline is missed "
            "(counted from the deadline itself); the retrofit or retirement is due one year "
            "after the plan's date (one year after its due date until it is dated). A "
            "retirement or retrofit ends the repair and verification obligations it replaces, "
            "and a retirement the leak inspections too."
        ),
    ),
    (
        "[?]",
        _l(
            "A retrofit or retirement plan should give the appliance and its location, the "
            "current and (for a retrofit) the new refrigerant and full charge, the conversion "
            "procedure, what happens to the recovered refrigerant and to a retired appliance, "
            "and a one-year schedule, and be signed, dated and kept at the site."
        ),
    ),
    (
        "[?]",
        _l(
            "Part 84 leak inspections are taken to mirror Part 82's. After an exceedance, "
            "commercial or industrial process refrigeration of 500 lb or more is inspected "
            "every 3 months (or 90 days, if earlier), other appliances every 365 days, the "
            "first one interval after the exceedance; they continue until four full calendar "
            "quarters (quarterly) or one year (yearly) have passed without a leak rate over "
            "the threshold. No exemption for parts under audited automatic leak detection is "
            "applied, and an inspection is taken to cover all visible and accessible parts."
        ),
    ),
    (
        "[I]",
        _l(
            "A chronic leaker is an appliance whose countable additions in a calendar year "
            "reach 125 percent of its full charge (82.157 from 2019, 84.106 from 2026); its report "
            "to EPA is due March 1 of the following year."
        ),
    ),
    (
        "[I]",
        _l(
            "The technician's EPA 608 certification number is kept with each addition, "
            "recovery, repair, test and inspection: the record-keeping text we saw does not "
            "list it, but that work needs a certified technician."
        ),
    ),
    (
        "[I]",
        _l(
            "Deadlines are shown as on time or late when done, open when not yet due, overdue "
            "when past due on the data-through date, suspended while mothballed, and not "
            "required when a retirement or retrofit replaced them."
        ),
    ),
)


def interpretations(part84_first_calculation_365_days: bool) -> Interpretations:
    """The readings as printed, numbered, the company's reading of the first Part 84
    calculation of a new appliance among them, and the closing disclaimer."""
    if part84_first_calculation_365_days:
        reading = _(
            "Appliances installed on or after 2026-01-01: whether their first Part 84 "
            "calculation uses 365 days or the days since installation is unsettled; this "
            "report uses 365 days (the literal reading of 84.106(b)(1)), as the company chose."
        )
    else:
        reading = _(
            "Appliances installed on or after 2026-01-01: whether their first Part 84 "
            "calculation uses 365 days or the days since installation is unsettled; this "
            "report uses the days since installation (the conservative reading)."
        )
    additions = [*ADDITIONS[:7], ("[?]", reading), *ADDITIONS[7:]]
    groups = (
        (_("How additions are counted and leak rates computed"), additions),
        (_("Which rules and thresholds apply"), RULES),
        (_("After a leak rate exceeds the threshold"), AFTER_AN_EXCEEDANCE),
    )
    topics, number = [], 0
    for title, notes in groups:
        readings = []
        for tag, text in notes:
            number += 1
            readings.append(Reading(number, tag, str(BASIS[tag]), str(text)))
        topics.append((title, tuple(readings)))
    return Interpretations(
        introduction=str(INTRODUCTION),
        topics=tuple(topics),
        closing=_("This report is a record of the service data on file; it is not legal advice."),
    )
