"""The pipeline report: how many paraprofessionals went from their first pilot year to a
credential, a licensure pass and a classroom of their own, and stayed.

Each paraprofessional counts once, in the cohort they started in (their first pairing)
and their district, whatever their role today (a paraprofessional whose record became a
teacher's still counts; a teacher record of theirs elsewhere is linked to this one and
its hire recorded on it). The steps:

- started: paired in the cohort;
- second year or completed: paired in a later cohort too, or their status in a cohort
  says they completed the program;
- credential: a degree or certificate recorded;
- licensure: passed a licensure assessment;
- teacher of record: became a teacher of record;
- still teaching 1 (3) years later: a yearly check says they are still teaching in the
  school year one (three) after the one they were hired in.

Suppression: a group of fewer than five people is withheld (every cell of its row), and
so is any count from 1 to 4. Then, since each cohort's districts add up to the cohort's
total (and the support models to the same total, and the cohorts to the funnel's), a
cell withheld alone in such a sum would be the total minus the rest: another cell of the
sum (the smallest) is withheld too, until no sum has exactly one withheld cell.
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import IntegerField, Max, Min, QuerySet, Value

from pilot.access import staff_scope_key, visible_staff
from pilot.figures_cache import cached_figures
from pilot.models import Cohort, School, Staff, User
from pilot.reporting.charts import bar_chart
from pilot.reporting.sections import Section
from pilot.reporting.tables import MIN_GROUP, TOO_FEW, Cell, Table

from .models import Assessment, CohortStatus, Credential, EmploymentEvent

STEPS = [
    ("started", "Started"),
    ("continued", "Second year or completed"),
    ("credential", "Earned a credential"),
    ("licensure", "Passed a licensure assessment"),
    ("hired", "Became a teacher of record"),
    ("still_1", "Still teaching 1 year later"),
    ("still_3", "Still teaching 3 years later"),
]
# The steps reached on a date, for the median time from the start.
DATED = [("credential", "credential_on"), ("licensure", "licensure_on"), ("hired", "hired_on")]
DAYS_PER_MONTH = 30.44
NOTE = (
    "Each paraprofessional counts once, in the cohort and district where they started. "
    "Counts of one to four people, and every figure of a group under five, are withheld "
    "(“too few to report”). So that no withheld figure can be worked out by subtracting "
    "the others from a total (the districts add up to the cohort, the cohorts to all), "
    "the next smallest figure of the same total is withheld too."
)


def school_year(on: date) -> int:
    """The year a school year ends in (July starts the next one)."""
    return on.year + 1 if on.month >= 7 else on.year


@dataclass
class Person:
    cohort_id: int
    district_id: int
    support_model: str
    started_on: date
    continued: bool
    credential_on: date | None
    licensure_on: date | None
    hired_on: date | None
    still_1: bool
    still_3: bool
    district_name: str = ""
    # Whether each of ``STEPS`` is reached, in their order (set from the fields above).
    steps: tuple[bool, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.steps = tuple(self.reached(step) for step, _ in STEPS)

    def reached(self, step: str) -> bool:
        if step == "started":
            return True
        if step in ("continued", "still_1", "still_3"):
            return getattr(self, step)
        return getattr(self, f"{step}_on") is not None


def _firsts(paras: QuerySet[Staff]) -> dict[int, dict[str, date | int]]:
    """Per paraprofessional in ``paras``, the date each dated step was first reached and
    the last school year a yearly check found them still teaching: one query, a grouped
    query per kind of record, united."""
    scope = {"para__in": paras}

    def first(queryset: QuerySet, step: str, column: str) -> QuerySet:
        return (
            queryset.filter(**scope)
            .order_by()
            .values("para_id")
            .annotate(step=Value(step), on=Min(column), year=Value(None, IntegerField()))
            .values_list("para_id", "step", "on", "year")
        )

    Kind = EmploymentEvent.Kind  # noqa: N806
    checks = (
        EmploymentEvent.objects.filter(kind=Kind.YEARLY_CHECK, still_teaching=True, **scope)
        .order_by()
        .values("para_id")
        .annotate(step=Value("still"), on=Min("occurred_on"), year=Max("check_year"))
        .values_list("para_id", "step", "on", "year")
    )
    completed = CohortStatus.objects.filter(status=CohortStatus.Status.COMPLETED)
    passed = Assessment.objects.filter(kind=Assessment.Kind.LICENSURE, passed=True)
    hired = EmploymentEvent.objects.filter(kind=Kind.TEACHER_OF_RECORD)
    rows = checks.union(
        first(completed, "completed_on", "recorded_on"),
        first(Credential.objects.all(), "credential_on", "awarded_on"),
        first(passed, "licensure_on", "taken_on"),
        first(hired, "hired_on", "occurred_on"),
        all=True,
    )
    found: dict[int, dict[str, date | int]] = defaultdict(dict)
    for para_id, step, on, year in rows:
        found[para_id][step] = year if step == "still" else on
    return found


def people(paras: QuerySet[Staff]) -> list[Person]:
    """Each paraprofessional in ``paras`` who was ever paired: two queries, their pairings
    (one row each) and the first date of each later step (``_firsts``), merged here."""
    # Everyone paired as a paraprofessional, teachers since among them.
    in_pairings = paras.filter(pairings_as_paraprofessional__isnull=False).order_by()
    pairings = in_pairings.values_list(
        "pk",
        "district_id",
        "district__name",
        "school__support_model",
        "pairings_as_paraprofessional__cohort_id",
        "pairings_as_paraprofessional__cohort__starts_on",
        "pairings_as_paraprofessional__starts_on",
    )
    # Per person: the first pairing (by its cohort's start, then its own) and its cohort.
    first: dict[int, tuple] = {}
    cohorts: dict[int, set[int]] = defaultdict(set)
    for pk, district_id, district_name, model, cohort_id, cohort_start, starts_on in pairings:
        cohorts[pk].add(cohort_id)
        order = (cohort_start, starts_on)
        if pk not in first or order < first[pk][0]:
            first[pk] = (order, cohort_id, district_id, district_name, model)
    firsts = _firsts(paras)
    result = []
    for pk, ((started_on, _), cohort_id, district_id, district_name, model) in first.items():
        steps = firsts.get(pk, {})
        hired = steps.get("hired_on")
        hired_year = school_year(hired) if hired else None
        last_check = steps.get("still")
        result.append(
            Person(
                cohort_id=cohort_id,
                district_id=district_id,
                support_model=model,
                started_on=started_on,
                continued=len(cohorts[pk]) > 1 or "completed_on" in steps,
                credential_on=steps.get("credential_on"),
                licensure_on=steps.get("licensure_on"),
                hired_on=hired,
                still_1=bool(hired_year and last_check and last_check >= hired_year + 1),
                still_3=bool(hired_year and last_check and last_check >= hired_year + 3),
                district_name=district_name,
            )
        )
    return result


def counts(group: Iterable[Person]) -> dict[str, int]:
    # People reach few distinct combinations of steps: count those, then the steps.
    tally = Counter(p.steps for p in group)
    return {
        step: sum(n for reached, n in tally.items() if reached[i])
        for i, (step, _) in enumerate(STEPS)
    }


def complementary_suppression(
    values: dict[Hashable, int],
    sums: list[tuple[Hashable, list[Hashable]]],
    primary: set[Hashable],
) -> set[Hashable]:
    """The cells to withhold: ``primary`` and, for each sum (total, parts) in which only
    one cell is withheld, the smallest other part (or the total when no part is left),
    repeated until no sum gives a withheld cell away."""
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = [total, *parts]
            if sum(k in hidden for k in members) != 1:
                continue
            shown = [k for k in parts if k not in hidden]
            pick = min(shown, key=lambda k: values[k]) if shown else total
            if pick in hidden:  # only the total and one part: both go
                pick = next(k for k in members if k not in hidden)
            hidden.add(pick)
            changed = True
    return hidden


def _primary(values: dict[Hashable, int], group_sizes: dict[Hashable, int]) -> set:
    """Counts of 1 to 4, and every cell of a group under five."""
    return {
        key
        for key, value in values.items()
        if 0 < value < MIN_GROUP or group_sizes[key] < MIN_GROUP
    }


@dataclass
class Report:
    districts: Section
    support_models: Section
    funnel: Section
    medians: Table
    people: int
    cohort_totals: dict[int, list[Cell]]

    def cohort_section(self, cohort: Cohort) -> Section:
        """The funnel of the paraprofessionals who started in ``cohort``, with the same
        cells withheld as on the pipeline page (for the program reports)."""
        table = Table(
            "pipeline",
            f"The pipeline of those who started in {cohort.name}",
            ["Step", "People"],
            note="Every paraprofessional in your scope who started in this cohort, followed "
            "to today; the whole scope even when the report shows one district, so that "
            "the figures withheld are those of the pipeline report. " + NOTE,
        )
        totals = self.cohort_totals.get(cohort.pk)
        if totals:
            for (_step, label), cell in zip(STEPS, totals, strict=True):
                table.add_cells(label, cell)
        chart = bar_chart(
            "pipeline",
            f"Paraprofessionals at each step, started in {cohort.name}",
            [(row[0].value, row[1]) for row in table.rows],
        )
        return Section(table.slug, "From pilot year to teaching career", table, chart)

    @property
    def tables(self) -> dict[str, Table]:
        return {
            t.slug: t
            for t in (
                self.districts.table,
                self.support_models.table,
                self.funnel.table,
                self.medians,
            )
        }


def _median_months(people: list[Person], attribute: str) -> Cell:
    spans = [
        (getattr(p, attribute) - p.started_on).days / DAYS_PER_MONTH
        for p in people
        if getattr(p, attribute) is not None
    ]
    if not spans:
        return Cell(None)
    return Cell(statistics.median(spans), suppressed=len(spans) < MIN_GROUP, fmt="{:.1f}")


def for_user(user: User | AnonymousUser, known: Iterable[Cohort] = ()) -> Report:
    """The pipeline of the paraprofessionals ``user`` may see, cached per scope (shared by
    everyone who sees the same staff) until the next write (``pilot.figures_cache``)."""
    return cached_figures(
        "pipeline", (staff_scope_key(user),), lambda: build(visible_staff(user), known)
    )


def build(paras: QuerySet[Staff], known: Iterable[Cohort] = ()) -> Report:
    """The pipeline of ``paras``; ``known`` are cohorts the caller has already loaded
    (read again only when a starting cohort is not among them)."""
    everyone = people(paras)
    wanted = {p.cohort_id for p in everyone}
    cohorts = {c.pk: c for c in known if c.pk in wanted}
    if wanted - cohorts.keys():
        cohorts = {c.pk: c for c in Cohort.objects.filter(pk__in=wanted)}
    districts = {p.district_id: p.district_name for p in everyone}
    models = dict(School.SupportModel.choices)
    ordered = sorted(cohorts.values(), key=lambda c: c.starts_on)

    groups: dict[tuple, list[Person]] = defaultdict(list)
    for p in everyone:
        groups[("district", p.cohort_id, p.district_id)].append(p)
        groups[("model", p.cohort_id, p.support_model)].append(p)
        groups[("total", p.cohort_id, None)].append(p)
        groups[("all", None, None)].append(p)

    values: dict[Hashable, int] = {}
    sizes: dict[Hashable, int] = {}
    for key, members in groups.items():
        for step, n in counts(members).items():
            values[(*key, step)] = n
            sizes[(*key, step)] = len(members)

    sums = []
    for step, _ in STEPS:
        for cohort_id in cohorts:
            for dimension in ("district", "model"):
                parts = [(*k, step) for k in groups if k[0] == dimension and k[1] == cohort_id]
                sums.append((("total", cohort_id, None, step), parts))
        sums.append((("all", None, None, step), [("total", c, None, step) for c in cohorts]))
    hidden = complementary_suppression(values, sums, _primary(values, sizes))

    def cells(key: tuple) -> list[Cell]:
        return [Cell(values[(*key, s)], suppressed=(*key, s) in hidden) for s, _ in STEPS]

    columns = ["Starting cohort", "Group", *[label for _, label in STEPS]]
    by_district = Table(
        "pipeline-districts",
        "The pipeline by starting cohort and district",
        columns,
        note=NOTE,
        label_columns=2,
    )
    by_model = Table(
        "pipeline-support-models",
        "The pipeline by starting cohort and school support model",
        columns,
        note=NOTE,
        label_columns=2,
    )
    for cohort in ordered:
        for dimension, table, names in (
            ("district", by_district, districts),
            ("model", by_model, models),
        ):
            keys = sorted(
                (k for k in groups if k[0] == dimension and k[1] == cohort.pk),
                key=lambda k: names[k[2]],
            )
            for key in keys:
                table.add_cells(cohort.name, names[key[2]], *cells(key))
            table.add_cells(cohort.name, "All", *cells(("total", cohort.pk, None)))

    funnel_table = Table(
        "pipeline-funnel", "The pipeline, every starting cohort", ["Step", "People"]
    )
    if everyone:
        for (_step, label), cell in zip(STEPS, cells(("all", None, None)), strict=True):
            funnel_table.add_cells(label, cell)
    chart = bar_chart(
        "pipeline-funnel",
        "Paraprofessionals at each step, every starting cohort",
        [(row[0].value, row[1]) for row in funnel_table.rows],
    )

    medians = Table(
        "pipeline-medians",
        "Median months from the start to each step",
        [
            "Starting cohort",
            "Group",
            *[label for step, label in STEPS if step in dict(DATED)],
        ],
        note="Months from the start of the first cohort, by district and by school support "
        "model; withheld when fewer than five people reached the step.",
        label_columns=2,
    )
    for cohort in ordered:
        for dimension, names in (("district", districts), ("model", models)):
            keys = sorted(
                (k for k in groups if k[0] == dimension and k[1] == cohort.pk),
                key=lambda k: names[k[2]],
            )
            for key in keys:
                medians.add_cells(
                    cohort.name,
                    names[key[2]],
                    *[_median_months(groups[key], a) for _, a in DATED],
                )
        members = groups[("total", cohort.pk, None)]
        medians.add_cells(cohort.name, "All", *[_median_months(members, a) for _, a in DATED])
    return Report(
        districts=Section("pipeline-districts", by_district.title, by_district),
        support_models=Section("pipeline-support-models", by_model.title, by_model),
        funnel=Section("pipeline-funnel", funnel_table.title, funnel_table, chart),
        medians=medians,
        people=len(everyone),
        cohort_totals={c: cells(("total", c, None)) for c in cohorts},
    )


__all__ = [
    "NOTE",
    "STEPS",
    "TOO_FEW",
    "build",
    "complementary_suppression",
    "for_user",
    "people",
]
