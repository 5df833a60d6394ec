"""The program reports, assembled from each app's query functions.

``ReportData`` holds one report's scope (the user's pairings and enrollments of one
cohort, optionally one district) and fetches each app's figures over it at most once, so
a page runs a fixed number of queries whatever the size of the data. The section
builders turn those figures into a ``Table`` (the numbers, also a CSV download) and a
chart. Groups under ``MIN_GROUP`` people are never shown as numbers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, OuterRef, Q

from coursework import queries as coursework_queries
from coursework.access import visible_course_enrollments
from mentoring import queries as mentoring_queries
from mentoring.models import Pairing
from observations import queries as observation_queries
from observations.access import coordinated_pairings, visible_quotes
from pilot.access import visible_districts
from pilot.cohorts import current_cohort
from pilot.models import Cohort, CohortEnrollment, District, School, User
from pilot.questions import PilotQuestion
from pilot.reporting.charts import bar_chart, column_chart, grouped_bar_chart
from pilot.reporting.tables import MIN_GROUP, Cell, Table, suppressed

GROWTH = "{:+.2f}"
SCORE = "{:.2f}"
CREDITS = "{:.1f}"
PERCENT = "{:.0f}%"
SCORE_SERIES = ["Baseline", "End of pilot"]


@dataclass
class Section:
    slug: str
    title: str
    table: Table
    chart: object | None = None


class ReportData:
    """One report's scope and the figures over it, each fetched once."""

    def __init__(self, user: User, cohort: Cohort, district: District | None = None) -> None:
        self.user = user
        self.cohort = cohort
        self.district = district
        pairings = coordinated_pairings(user).filter(cohort=cohort)
        enrollments = visible_course_enrollments(user).filter(offering__cohort=cohort)
        districts = visible_districts(user)
        if district is not None:
            pairings = pairings.filter(district=district)
            enrollments = enrollments.filter(para__district=district)
            districts = districts.filter(pk=district.pk)
        self.pairings = pairings
        self.enrollments = enrollments
        self.scoped_districts = districts

    # --- records ---------------------------------------------------------------------

    @cached_property
    def districts(self) -> list[District]:
        """Districts in scope that took part in the cohort (enrolled, or with pairings)."""
        enrolled = CohortEnrollment.objects.filter(cohort=self.cohort, district=OuterRef("pk"))
        paired = Pairing.objects.filter(cohort=self.cohort, district=OuterRef("pk"))
        return list(
            self.scoped_districts.filter(Q(Exists(enrolled)) | Q(Exists(paired))).order_by(
                "name", "id"
            )
        )

    # --- observations ----------------------------------------------------------------

    @cached_property
    def growth_by_domain(self) -> list[dict]:
        return observation_queries.growth_by_domain(self.pairings)

    @cached_property
    def growth_by_indicator(self) -> list[dict]:
        return observation_queries.growth_by_indicator(self.pairings)

    @cached_property
    def growth_by_district(self) -> dict[int, dict]:
        rows = observation_queries.growth_by_group(self.pairings, "district_id")
        return {row["group"]: row for row in rows}

    @cached_property
    def growth_by_support_model(self) -> dict[str, dict]:
        rows = observation_queries.growth_by_group(
            self.pairings, "paraprofessional__school__support_model"
        )
        return {row["group"]: row for row in rows}

    @cached_property
    def growth_overall(self) -> dict:
        return observation_queries.growth_overall(self.pairings)

    @cached_property
    def growth_by_coursework(self) -> list[dict]:
        return observation_queries.growth_by_indicator_split(
            self.pairings, coursework_queries.passed_course_in_domain
        )

    @cached_property
    def completion_by_district(self) -> dict[int, dict]:
        trackable = observation_queries.trackable_pairings(self.pairings, self.cohort)
        rows = observation_queries.completion_counts(trackable, "district_id")
        return {row["district_id"]: row for row in rows}

    @cached_property
    def quotes(self) -> list:
        scoped = visible_quotes(self.user).filter(observation__pairing__in=self.pairings)
        return list(
            observation_queries.approved_quotes(scoped).select_related(
                "observation__pairing__district"
            )
        )

    # --- mentoring -------------------------------------------------------------------

    @cached_property
    def minutes_by_month(self) -> list[dict]:
        return mentoring_queries.minutes_by_month(self.pairings)

    @cached_property
    def pairings_by_district(self) -> dict[int, dict]:
        return mentoring_queries.pairing_counts_by_district(self.pairings)

    @cached_property
    def goals_by_focus(self) -> dict[str, dict]:
        return mentoring_queries.goals_by_focus(self.pairings)

    # --- coursework ------------------------------------------------------------------

    @cached_property
    def courses_by_district(self) -> dict[int, dict]:
        return coursework_queries.figures_by_district(self.enrollments)

    @cached_property
    def course_totals(self) -> dict:
        return coursework_queries.course_totals(self.enrollments)

    @cached_property
    def passed_by_domain(self) -> dict[str, dict]:
        return coursework_queries.passed_by_domain(self.enrollments)

    # --- cohort ------------------------------------------------------------------------

    @cached_property
    def districts_enrolled(self) -> int:
        return (
            CohortEnrollment.objects.filter(
                cohort=self.cohort,
                withdrawn_on__isnull=True,
                district__in=self.scoped_districts,
            )
            .values("district")
            .count()
        )


# --- growth --------------------------------------------------------------------------


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


# --- coursework ----------------------------------------------------------------------


def coursework_district(data: ReportData) -> Section:
    table = Table(
        "coursework-by-district",
        "Credits earned and courses completed, by district",
        [
            "District",
            "Paraprofessionals enrolled",
            "Enrollments",
            "Courses completed",
            "Courses passed",
            "Credits earned",
        ],
        note="Enrollments in this cohort's college offerings, by the paraprofessional's "
        "district. A course is completed with a final grade; C or better, or P, passes and "
        f"earns its credit. Districts with fewer than {MIN_GROUP} paraprofessionals enrolled "
        "are shown as too few to report.",
    )
    for district in data.districts:
        row = data.courses_by_district.get(district.pk)
        if row is None:
            table.add_cells(district.name, 0, 0, 0, 0, Cell(Decimal(0), fmt=CREDITS))
            continue
        n = row["people"]
        table.add_cells(
            district.name,
            suppressed(n, n),
            suppressed(row["enrollments"], n),
            suppressed(row["completions"], n),
            suppressed(row["passed"], n),
            suppressed(row["credits"], n, CREDITS),
        )
    chart = bar_chart(
        table.slug, "Credits earned, by district", [(r[0].value, r[5]) for r in table.rows]
    )
    return Section(table.slug, table.title, table, chart)


# --- mentoring -----------------------------------------------------------------------


def mentoring_months(data: ReportData) -> Section:
    table = Table(
        "mentoring-by-month",
        "Mentoring minutes by month",
        ["Month", "Pairings that met", "Sessions", "Minutes"],
        note="Sessions the pairs logged, by the month they were held. Months in which fewer "
        f"than {MIN_GROUP} pairings met are shown as too few to report.",
    )
    for row in data.minutes_by_month:
        table.add(
            f"{row['month']:%b %Y}",
            row["pairs"],
            row["sessions"],
            row["minutes"],
            group_size=row["pairs"],
        )
    chart = column_chart(
        table.slug, "Mentoring minutes by month", [(r[0].value, r[3]) for r in table.rows]
    )
    return Section(table.slug, table.title, table, chart)


# --- observations ----------------------------------------------------------------------


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


# --- the coordinators' report ----------------------------------------------------------

REPORT_SECTIONS: dict[str, Callable[[ReportData], Section]] = {
    "growth-by-domain": growth_domain,
    "growth-by-indicator": growth_indicator,
    "growth-by-district": growth_district,
    "growth-by-support-model": growth_support_model,
    "growth-and-coursework": growth_coursework,
    "coursework-by-district": coursework_district,
    "mentoring-by-month": mentoring_months,
    "observation-completion": completion,
}


def report_sections(data: ReportData) -> list[Section]:
    return [build(data) for build in REPORT_SECTIONS.values()]


def default_cohort(user: User) -> tuple[Cohort | None, bool]:
    """The newest cohort with submitted end-of-pilot observations in the user's scope
    (True), else the current cohort (False)."""
    cohort_id = observation_queries.latest_cohort_with_end(coordinated_pairings(user))
    if cohort_id is not None:
        return Cohort.objects.get(pk=cohort_id), True
    return current_cohort(), False
