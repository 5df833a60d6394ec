"""The end-of-pilot report: what the program hands its districts, its college partner and
its funders. Built from the same ``ReportData`` as the coordinators' reports, so it runs a
fixed number of queries too."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pilot.questions import PilotQuestion
from pilot.registry import REPORT_SECTIONS
from pilot.reporting.sections import CREDITS, GROWTH, SCORE, Section
from pilot.reporting.tables import MIN_GROUP, Cell, Table, suppressed

from .program import ReportData


@dataclass
class Quote:
    text: str
    attribution: str  # only "a teacher in <district>"


@dataclass
class QuestionPart:
    question: str
    label: str
    table: Table
    slug: str = ""


QUOTES_SHOWN = 24  # on the page and in the PDF; the CSV has every approved quote


@dataclass
class PilotReport:
    """Only figures (no querysets, no ``ReportData``): it is cached and pickled whole, and
    pickling a queryset would run it (``portal.reports.views._cached``)."""

    overview: Table
    questions: list[QuestionPart]
    districts: Table
    charts: list[Section]
    quotes: list[Quote]
    quote_table: Table
    tables: list[Table] = field(default_factory=list)

    @property
    def quotes_shown(self) -> list[Quote]:
        return self.quotes[:QUOTES_SHOWN]

    @property
    def quotes_left_out(self) -> int:
        return max(0, len(self.quotes) - QUOTES_SHOWN)


def overview(data: ReportData) -> Table:
    table = Table("overview", "The pilot in figures", ["Figure", "Value"])
    pairings = data.pairings_by_district.values()
    paired = sum(r["paraprofessionals"] for r in pairings)
    minutes = sum(r["minutes"] for r in pairings)
    courses = data.course_totals
    done = data.growth_overall
    table.add_cells("Districts taking part", data.districts_enrolled)
    table.add_cells("Paraprofessionals paired with a mentor teacher", paired)
    table.add_cells("Pairings", sum(r["pairings"] for r in pairings))
    table.add_cells("Pairings completed", sum(r["completed"] for r in pairings))
    table.add_cells("Mentoring sessions logged", sum(r["sessions"] for r in pairings))
    table.add_cells("Hours of mentoring", Cell(Decimal(minutes) / 60, fmt="{:,.0f}"))
    table.add_cells("Paraprofessionals enrolled in college courses", courses["people"])
    table.add_cells("College courses passed", courses["passed"])
    table.add_cells("College credits earned", Cell(courses["credits"], fmt=CREDITS))
    pairs = done["pairs"] or 0
    table.add_cells(
        "Paraprofessionals observed at baseline and end of pilot", suppressed(pairs, pairs)
    )
    table.add_cells(
        "Average change in rubric score (1–4 scale)", suppressed(done["change"], pairs, GROWTH)
    )
    return table


def question_parts(data: ReportData) -> list[QuestionPart]:
    """Each pilot question with its measures: growth in its rubric domain and indicators,
    the mentoring goals the pairs set in it, and the courses passed that target it."""
    domains = {row["question"]: row for row in data.growth_by_domain}
    parts = []
    for value, label in PilotQuestion.choices:
        table = Table(
            f"question-{value.replace('_', '-')}",
            f"{label}: measures",
            ["Measure", "Value"],
        )
        growth = domains.get(value)
        pairs = growth["pairs"] if growth else 0
        table.add_cells(
            "Paraprofessionals observed at baseline and end of pilot", suppressed(pairs, pairs)
        )
        table.add_cells(
            "Mean score at baseline", suppressed(growth and growth["baseline_mean"], pairs, SCORE)
        )
        table.add_cells(
            "Mean score at end of pilot", suppressed(growth and growth["end_mean"], pairs, SCORE)
        )
        table.add_cells(
            "Change in mean score", suppressed(growth and growth["change"], pairs, GROWTH)
        )
        for row in data.growth_by_indicator:
            if row["question"] == value:
                table.add_cells(
                    f"Change: {row['statement']}", suppressed(row["change"], row["pairs"], GROWTH)
                )
        goals = data.goals_by_focus.get(value, {"set": 0, "met": 0, "pairs": 0})
        table.add_cells("Mentoring goals set in this area", goals["set"])
        table.add_cells("Mentoring goals met", goals["met"])
        courses = data.passed_by_domain.get(value, {"passed": 0, "people": 0, "credits": 0})
        table.add_cells("College courses passed that target this question", courses["passed"])
        table.add_cells("Paraprofessionals who passed one", courses["people"])
        table.add_cells(
            "Credits earned in those courses", Cell(Decimal(courses["credits"]), fmt=CREDITS)
        )
        parts.append(QuestionPart(value, label, table, table.slug))
    return parts


def district_table(data: ReportData) -> Table:
    table = Table(
        "districts",
        "Districts",
        [
            "District",
            "Paraprofessionals paired",
            "Pairings completed",
            "Mentoring sessions",
            "Mentoring minutes",
            "Courses passed",
            "Credits earned",
            "Observed at baseline and end",
            "Average change",
        ],
        note=f"Districts with fewer than {MIN_GROUP} paraprofessionals paired, and averages "
        f"over fewer than {MIN_GROUP} paraprofessionals, are shown as too few to report.",
    )
    for district in data.districts:
        mentoring = data.pairings_by_district.get(district.pk, {})
        courses = data.courses_by_district.get(district.pk, {})
        growth = data.growth_by_district.get(district.pk)
        n = mentoring.get("paraprofessionals", 0)
        pairs = growth["pairs"] if growth else 0
        table.add_cells(
            district.name,
            suppressed(n, n),
            suppressed(mentoring.get("completed", 0), n),
            suppressed(mentoring.get("sessions", 0), n),
            suppressed(mentoring.get("minutes", 0), n),
            suppressed(courses.get("passed", 0), n),
            suppressed(courses.get("credits", Decimal(0)), n, CREDITS),
            suppressed(pairs, min(n, pairs)),
            suppressed(growth and growth["change"], min(n, pairs), GROWTH),
        )
    return table


def quotes(data: ReportData) -> tuple[list[Quote], Table]:
    """Coordinator-approved comments, attributed only as "a teacher in <district>"."""
    table = Table("quotes", "In teachers' words", ["Quote", "Attribution"])
    items = []
    for text, district in data.quotes:
        item = Quote(text, f"A teacher in {district}")
        items.append(item)
        table.add_cells(item.text, item.attribution)
    return items, table


def charts() -> list[Callable[[ReportData], Section]]:
    """The sections the apps put in the end-of-pilot report, in its order."""
    chosen = [entry for entry in REPORT_SECTIONS if entry.pilot_order is not None]
    return [entry.build for entry in sorted(chosen, key=lambda entry: entry.pilot_order)]


def build(data: ReportData) -> PilotReport:
    parts = question_parts(data)
    quote_items, quote_table = quotes(data)
    report = PilotReport(
        overview=overview(data),
        questions=parts,
        districts=district_table(data),
        charts=[make(data) for make in charts()],
        quotes=quote_items,
        quote_table=quote_table,
    )
    report.tables = [
        report.overview,
        *(p.table for p in parts),
        report.districts,
        *(s.table for s in report.charts),
        quote_table,
    ]
    return report


def table(data: ReportData, slug: str) -> Table | None:
    """One table of the report by its slug (for the CSV download), or None."""
    return next((t for t in build(data).tables if t.slug == slug), None)
