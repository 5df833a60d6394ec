"""The program reports, assembled from each app's query functions.

``ReportData`` holds one report's scope (the user's pairings and enrollments of one
cohort, optionally one district) and fetches each app's figures over it at most once, so
a page runs a fixed number of queries whatever the size of the data. Each app's
section builders (``<app>/report_sections.py``, registered in ``REPORT_SECTIONS``) turn
those figures into a ``Table`` (the numbers, also a CSV download) and a chart.
Groups under ``MIN_GROUP`` people are never shown as numbers.
"""

from collections.abc import Callable
from functools import cached_property

from django.db.models import Exists, OuterRef, Q

from coursework import queries as coursework_queries
from coursework.access import course_enrollment_district_ids, visible_course_enrollments
from mentoring import queries as mentoring_queries
from mentoring.models import Pairing
from observations import queries as observation_queries
from observations.access import coordinated_district_ids, coordinated_pairings, visible_quotes
from pilot.access import visible_cohorts, visible_districts
from pilot.cohorts import current_cohort
from pilot.models import Cohort, CohortEnrollment, District, User
from pilot.registry import REPORT_SECTIONS
from pilot.reporting.sections import Section


class ReportData:
    """One report's scope and the figures over it, each fetched once."""

    def __init__(
        self,
        user: User,
        cohort: Cohort,
        district: District | None = None,
        cohorts: list[Cohort] | None = None,
    ) -> None:
        self.user = user
        self.cohort = cohort
        self.district = district
        # The cohorts the user may choose from, when already loaded (the filter's).
        self.cohorts = cohorts or []
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
        """Districts in scope that took part in the cohort (enrolled, or with pairings),
        each with ``enrolled_now`` (enrolled and not withdrawn)."""
        enrolled = CohortEnrollment.objects.filter(cohort=self.cohort, district=OuterRef("pk"))
        paired = Pairing.objects.filter(cohort=self.cohort, district=OuterRef("pk"))
        return list(
            self.scoped_districts.annotate(
                enrolled_now=Exists(enrolled.filter(withdrawn_on__isnull=True))
            )
            .filter(Q(Exists(enrolled)) | Q(Exists(paired)))
            .order_by("name", "id")
        )

    # --- observations ----------------------------------------------------------------

    @cached_property
    def _growth_grid(self) -> list[dict]:
        return observation_queries.growth_grid(self.pairings)

    @cached_property
    def growth_by_domain(self) -> list[dict]:
        return observation_queries.growth_by_domain_of(self._growth_grid)

    @cached_property
    def _growth_by_indicator_and_coursework(self) -> tuple[list[dict], list[dict]]:
        return observation_queries.growth_by_indicator_and_split(
            self.pairings, coursework_queries.passed_course_in_domain
        )

    @cached_property
    def growth_by_indicator(self) -> list[dict]:
        return self._growth_by_indicator_and_coursework[0]

    @cached_property
    def growth_by_district(self) -> dict[int, dict]:
        return observation_queries.growth_by_group_of(self._growth_grid, "district")

    @cached_property
    def growth_by_support_model(self) -> dict[str, dict]:
        return observation_queries.growth_by_group_of(self._growth_grid, "model")

    @cached_property
    def growth_overall(self) -> dict:
        return observation_queries.growth_of(self._growth_grid)

    @cached_property
    def growth_by_coursework(self) -> list[dict]:
        return self._growth_by_indicator_and_coursework[1]

    @cached_property
    def completion_by_district(self) -> dict[int, dict]:
        districts = coordinated_district_ids(self.user)
        if self.district is not None:
            districts = {self.district.pk}
        rows = observation_queries.cohort_completion(
            self.pairings, self.cohort, districts, "district_id"
        )
        return {row["district_id"]: row for row in rows}

    @cached_property
    def quotes(self) -> list[tuple[str, str]]:
        """The approved quotes in scope: (text, district name) rows, not instances."""
        scoped = visible_quotes(self.user).filter(observation__pairing__in=self.pairings)
        return list(
            observation_queries.approved_quotes(scoped).values_list(
                "text", "observation__pairing__district__name"
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
        districts = course_enrollment_district_ids(self.user)
        if self.district is not None:
            districts = {self.district.pk}
        return coursework_queries.cohort_figures_by_district(
            self.enrollments, self.cohort, districts
        )

    @cached_property
    def course_totals(self) -> dict:
        # A paraprofessional is in one district: the districts' figures add up.
        return coursework_queries.totals_of(self.courses_by_district.values())

    @cached_property
    def passed_by_domain(self) -> dict[str, dict]:
        return coursework_queries.passed_by_domain(self.enrollments)

    # --- cohort ------------------------------------------------------------------------

    @cached_property
    def districts_enrolled(self) -> int:
        """Districts in scope enrolled in the cohort and not withdrawn."""
        return sum(district.enrolled_now for district in self.districts)


# --- the coordinators' report ----------------------------------------------------------


def sections() -> dict[str, Callable[[ReportData], Section]]:
    """The sections the apps registered, in order, by slug."""
    return {entry.key: entry.build for entry in REPORT_SECTIONS}


def report_sections(data: ReportData) -> list[Section]:
    return [build(data) for build in sections().values()]


def cohort_choices(user: User) -> list[Cohort]:
    """The cohorts the report filter offers, newest first, each with ``has_end`` (any
    submitted end-of-pilot observation in the user's scope): one query, which also gives
    the default cohort."""
    pairings = coordinated_pairings(user)
    return list(
        visible_cohorts(user)
        .annotate(has_end=observation_queries.has_end_forms(pairings))
        .order_by("-starts_on", "name")
    )


def default_cohort(cohorts: list[Cohort]) -> tuple[Cohort | None, bool]:
    """The newest of ``cohorts`` (from ``cohort_choices``) with submitted end-of-pilot
    observations in the user's scope (True), else the current cohort (False)."""
    with_end = [c for c in cohorts if c.has_end]
    if with_end:
        return max(with_end, key=lambda c: (c.starts_on, c.pk)), True
    return current_cohort(), False
