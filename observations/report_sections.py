"""Observations' sections of the program reports: growth (by domain, indicator, district,
support model, next to coursework) and form completion. Registered from ``apps.py``."""

from pilot.models import School
from pilot.questions import PilotQuestion
from pilot.registry import REPORT_SECTIONS, ReportSection
from pilot.reporting.charts import bar_chart, grouped_bar_chart
from pilot.reporting.sections import GROWTH, PERCENT, SCORE, SCORE_SERIES, ReportData, Section
from pilot.reporting.tables import MIN_GROUP, Cell, Table, suppressed


def _growth_cells(row: dict | None) -> list[Cell]:
    """Pairings, baseline mean, end mean and change: numbers only for five or more."""
    pairs = row["pairs"] if row else 0
    if not row:
        return [Cell(0), Cell(None), Cell(None), Cell(None)]
    return [
        suppressed(pairs, pairs),
        suppressed(row["baseline_mean"], pairs, SCORE),
        suppressed(row["end_mean"], pairs, SCORE),
        suppressed(row["change"], pairs, GROWTH),
    ]


GROWTH_COLUMNS = ["Pairings measured", "Baseline", "End of pilot", "Change"]
GROWTH_NOTE = (
    "Mean scores, from 1 (Beginning) to 4 (Exemplary). Change is the end-of-pilot score minus "
    "the baseline score for the same paraprofessional and indicator, averaged; only pairings "
    f"with both forms submitted count. Groups of fewer than {MIN_GROUP} pairings are shown as "
    "too few to report."
)


def growth_domain(data: ReportData) -> Section:
    table = Table(
        "growth-by-domain",
        "Growth from baseline to end of pilot, by domain",
        ["Domain", *GROWTH_COLUMNS],
        note=GROWTH_NOTE,
    )
    for row in data.growth_by_domain:
        table.add_cells(row["question_label"], *_growth_cells(row))
    chart = grouped_bar_chart(
        table.slug,
        "Mean score at baseline and at end of pilot, by domain",
        SCORE_SERIES,
        [(r[0].value, [r[2], r[3]]) for r in table.rows],
        scale_max=4,
    )
    return Section(table.slug, table.title, table, chart)


def growth_indicator(data: ReportData) -> Section:
    table = Table(
        "growth-by-indicator",
        "Growth from baseline to end of pilot, by indicator",
        ["Indicator", "Domain", *GROWTH_COLUMNS],
        note=GROWTH_NOTE,
        label_columns=2,
    )
    for row in data.growth_by_indicator:
        table.add_cells(row["statement"], row["question_label"], *_growth_cells(row))
    chart = bar_chart(
        table.slug,
        "Change in mean score, by indicator",
        [(r[0].value, r[5]) for r in table.rows],
    )
    return Section(table.slug, table.title, table, chart)


def growth_district(data: ReportData) -> Section:
    table = Table(
        "growth-by-district",
        "Growth from baseline to end of pilot, by district",
        ["District", *GROWTH_COLUMNS],
        note=GROWTH_NOTE,
    )
    for district in data.districts:
        table.add_cells(district.name, *_growth_cells(data.growth_by_district.get(district.pk)))
    chart = bar_chart(
        table.slug, "Change in mean score, by district", [(r[0].value, r[4]) for r in table.rows]
    )
    return Section(table.slug, table.title, table, chart)


def growth_support_model(data: ReportData) -> Section:
    table = Table(
        "growth-by-support-model",
        "Growth from baseline to end of pilot, by school support model",
        ["School support model", *GROWTH_COLUMNS],
        note=GROWTH_NOTE + " The support model is that of the paraprofessional's school: whether "
        "paraprofessionals lead small-group intervention or oversee independent work while "
        "teachers take intervention.",
    )
    for value, label in School.SupportModel.choices:
        table.add_cells(label, *_growth_cells(data.growth_by_support_model.get(value)))
    chart = bar_chart(
        table.slug,
        "Change in mean score, by school support model",
        [(r[0].value, r[4]) for r in table.rows],
    )
    return Section(table.slug, table.title, table, chart)


def growth_coursework(data: ReportData) -> Section:
    table = Table(
        "growth-and-coursework",
        "Growth next to coursework, by indicator",
        [
            "Indicator",
            "Domain",
            "Passed a course in the domain: pairings",
            "Passed a course in the domain: change",
            "Did not: pairings",
            "Did not: change",
        ],
        note="For each indicator, the average change of paraprofessionals who passed a course "
        "of this cohort that targets the indicator's domain, next to those who did not. A "
        f"group of fewer than {MIN_GROUP} is shown as too few to report, and so is the other "
        "group beside it (together they make the indicator's figure above). Side by side, "
        "not cause and effect: who chose to take which course is not random.",
        label_columns=2,
    )
    by_indicator: dict[str, dict] = {}
    for row in data.growth_by_coursework:
        entry = by_indicator.setdefault(
            row["key"], {"statement": row["statement"], "question": row["question"]}
        )
        entry[bool(row["flag"])] = row
    for entry in by_indicator.values():
        groups = [entry.get(True), entry.get(False)]
        sizes = [row["pairs"] if row else 0 for row in groups]
        # The two groups make up the indicator's figure in the table above: if one is a
        # small group, showing the other would give it away, so both are withheld.
        small = any(0 < n < MIN_GROUP for n in sizes)
        cells = []
        for row, n in zip(groups, sizes, strict=True):
            hide = small or n < MIN_GROUP
            cells += [Cell(n, hide), Cell(row["change"] if row else None, hide, GROWTH)]
        table.add_cells(entry["statement"], PilotQuestion(entry["question"]).label, *cells)
    chart = grouped_bar_chart(
        table.slug,
        "Change in mean score: passed a course in the domain, or not",
        ["Passed a course in the domain", "Did not"],
        [(r[0].value, [r[3], r[5]]) for r in table.rows],
    )
    return Section(table.slug, table.title, table, chart)


def completion(data: ReportData) -> Section:
    table = Table(
        "observation-completion",
        "Observation completion, by district",
        [
            "District",
            "Pairings",
            "Baseline submitted",
            "Mid-pilot submitted",
            "End of pilot submitted",
            "Baseline complete",
            "End of pilot complete",
        ],
        note="Forms submitted for the cohort's pairings (those that ended early owe none). "
        "These count forms, not results, as on the observations tracker.",
    )
    for district in data.districts:
        row = data.completion_by_district.get(district.pk)
        if row is None:
            table.add_cells(district.name, 0, 0, 0, 0, Cell(None), Cell(None))
            continue
        n = row["pairings"]
        table.add_cells(
            district.name,
            n,
            row["baseline"],
            row["mid"],
            row["end"],
            Cell(100 * row["baseline"] / n, fmt=PERCENT),
            Cell(100 * row["end"] / n, fmt=PERCENT),
        )
    chart = grouped_bar_chart(
        table.slug,
        "Share of pairings with each form submitted, by district",
        ["Baseline", "End of pilot"],
        [(r[0].value, [r[5], r[6]]) for r in table.rows],
        scale_max=100,
    )
    return Section(table.slug, table.title, table, chart)


def register() -> None:
    for entry in (
        ReportSection("growth-by-domain", growth_domain, 10, pilot_order=10),
        ReportSection("growth-by-indicator", growth_indicator, 20, pilot_order=20),
        ReportSection("growth-by-district", growth_district, 30, pilot_order=30),
        ReportSection("growth-by-support-model", growth_support_model, 40),
        ReportSection("growth-and-coursework", growth_coursework, 50, pilot_order=40),
        ReportSection("observation-completion", completion, 80),
    ):
        REPORT_SECTIONS.register(entry)
