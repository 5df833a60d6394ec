"""Query functions over observations: growth, completion, the rubric's outline.

Everything here is SQL aggregation with a fixed number of queries, whatever the number
of pairings. Other parts of the project (dashboards, reports) read observations through
these functions; pass them a queryset already scoped by ``pilot.access``.

Growth is the end-of-pilot score minus the baseline score, for the same pairing and the
same indicator (matched by the indicator's ``key``, so a later rubric version that
rewords a statement still lines up). Only submitted observations count.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from mentoring.models import Pairing
from pilot.questions import PilotQuestion
from pilot.summaries import kept

from . import summaries
from .models import (
    Completion,
    Indicator,
    LevelDescriptor,
    Observation,
    PairedScore,
    Quote,
    Rating,
    ReminderSent,
    Rubric,
    RubricDomain,
)

Kind = Observation.Kind
SUBMITTED = Observation.Status.SUBMITTED
QUESTION_ORDER = {value: n for n, value in enumerate(PilotQuestion.values)}


def _round(value: float | Decimal | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# --- the rubric ----------------------------------------------------------------------


def rubric_outline(rubric: Rubric) -> list[RubricDomain]:
    """The rubric's domains in order, each with ``indicator_list``; each indicator with
    ``descriptor_list`` (levels 1–4). Two queries: the indicators with their domain, then
    the descriptors. (A rubric's domains all have indicators: publishing copies them.)"""
    descriptors = Prefetch(
        "descriptors", queryset=LevelDescriptor.objects.order_by("level"), to_attr="descriptor_list"
    )
    indicators = (
        Indicator.objects.filter(domain__rubric=rubric)
        .select_related("domain")
        .order_by("domain__position", "domain_id", "position", "id")
        .prefetch_related(descriptors)
    )
    domains: dict[int, RubricDomain] = {}
    for indicator in indicators:
        domain = domains.setdefault(indicator.domain_id, indicator.domain)
        if not hasattr(domain, "indicator_list"):
            domain.indicator_list = []
        domain.indicator_list.append(indicator)
        indicator.domain = domain  # one instance per domain
    return list(domains.values())


# --- growth --------------------------------------------------------------------------


def _paired_end_ratings(pairings: QuerySet[Pairing]) -> tuple[QuerySet, str]:
    """The pairings' paired scores, one row per pairing and indicator key with a
    submitted baseline and end-of-pilot score (``key``, ``question``, ``baseline_score``,
    ``end_score``), and the path from a row to its pairing.

    Where the triggers keep it (``pilot.summaries.kept``), the summary ``PairedScore``:
    growth by any grouping is an aggregate over a few rows per pairing. Elsewhere (SQLite)
    the eight-table join it replaced, the one that rebuilds it."""
    if kept():
        return PairedScore.objects.filter(pairing__in=pairings), "pairing"
    live = summaries.paired_end_ratings()
    return live.filter(**{f"{summaries.PAIRING}__in": pairings}), summaries.PAIRING


def _growth_aggregates(pairing: str, only: Q | None = None) -> dict:
    return {
        "pairs": Count(pairing, distinct=True, filter=only),
        "baseline_mean": Avg(Cast("baseline_score", FloatField()), filter=only),
        "end_mean": Avg(Cast("end_score", FloatField()), filter=only),
        "change": Avg(Cast(F("end_score") - F("baseline_score"), FloatField()), filter=only),
    }


def _rounded(row: dict) -> dict:
    for name in ("baseline_mean", "end_mean", "change"):
        row[name] = _round(row[name])
    return row


def growth_by_indicator(pairings: QuerySet[Pairing]) -> list[dict]:
    """Per indicator: ``key``, ``statement``, ``question`` (domain), ``question_label``,
    ``pairs`` (pairings with both forms), ``baseline_mean``, ``end_mean``, ``change``."""
    paired, pairing = _paired_end_ratings(pairings)
    rows = (
        paired.values("key", "question")
        .annotate(
            statement=Max("indicator__statement"),
            position=Min("indicator__position"),
            **_growth_aggregates(pairing),
        )
        .order_by()
    )
    result = [_rounded(dict(row)) for row in rows]
    for row in result:
        row["question_label"] = PilotQuestion(row["question"]).label
    result.sort(key=lambda r: (QUESTION_ORDER[r["question"]], r["position"], r["key"]))
    return result


def growth_by_domain(pairings: QuerySet[Pairing]) -> list[dict]:
    """Per domain (pilot question): ``question``, ``question_label``, ``pairs``,
    ``baseline_mean``, ``end_mean``, ``change`` (mean of end − baseline over its ratings)."""
    paired, pairing = _paired_end_ratings(pairings)
    rows = paired.values("question").annotate(**_growth_aggregates(pairing)).order_by()
    result = [_rounded(dict(row)) for row in rows]
    for row in result:
        row["question_label"] = PilotQuestion(row["question"]).label
    result.sort(key=lambda r: QUESTION_ORDER[r["question"]])
    return result


def _sums(pairing: str, only: Q | None = None) -> dict:
    return {
        "pairs": Count(pairing, distinct=True, filter=only),
        "n": Count(pairing, filter=only),
        "baseline_sum": Sum("baseline_score", filter=only),
        "end_sum": Sum("end_score", filter=only),
    }


SUMS = ("pairs", "n", "baseline_sum", "end_sum")


def growth_grid(pairings: QuerySet[Pairing]) -> list[dict]:
    """One query for every growth figure a report groups by district, school support
    model and domain: per district (``district``) and support model (``model``) of the
    pairings, the sums ``pairs``, ``n`` (paired scores), ``baseline_sum`` and ``end_sum``
    over all indicators and, prefixed ``<question>__``, over each domain's. A pairing is
    in one district and one support model, so the groups' sums add up to any coarser
    grouping (``growth_of``)."""
    paired, pairing = _paired_end_ratings(pairings)
    aggregates = _sums(pairing)
    for question in PilotQuestion.values:
        for name, aggregate in _sums(pairing, Q(question=question)).items():
            aggregates[f"{question}__{name}"] = aggregate
    rows = paired.values(
        district=F(f"{pairing}__district_id"),
        model=F(f"{pairing}__paraprofessional__school__support_model"),
    ).annotate(**aggregates)
    return list(rows.order_by())


def growth_of(rows: list[dict], question: str | None = None) -> dict:
    """The growth figures (``pairs``, ``baseline_mean``, ``end_mean``, ``change``) of the
    ``growth_grid`` rows taken together, over every indicator or one domain's."""
    prefix = f"{question}__" if question else ""
    total = dict.fromkeys(SUMS, 0)
    for row in rows:
        for name in SUMS:
            total[name] += row[prefix + name] or 0
    n = total["n"]
    if not n:
        return {"pairs": total["pairs"], "baseline_mean": None, "end_mean": None, "change": None}
    baseline, end = total["baseline_sum"], total["end_sum"]
    return {
        "pairs": total["pairs"],
        "baseline_mean": _round(Decimal(baseline) / n),
        "end_mean": _round(Decimal(end) / n),
        "change": _round(Decimal(end - baseline) / n),
    }


def growth_by_domain_of(rows: list[dict]) -> list[dict]:
    """``growth_by_domain`` from ``growth_grid`` rows."""
    result = []
    for question in PilotQuestion.values:  # in QUESTION_ORDER
        figures = growth_of(rows, question)
        if figures["pairs"]:
            label = PilotQuestion(question).label
            result.append({"question": question, **figures, "question_label": label})
    return result


def growth_by_group_of(rows: list[dict], column: str) -> dict:
    """Growth per group (pairs, means and change) from ``growth_grid`` rows, by ``district``
    or ``model``, as a dict by the group's value."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[column], []).append(row)
    return {value: {"group": value, **growth_of(members)} for value, members in groups.items()}


def growth_by_pairing(pairings: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """The pairings that have both a submitted baseline and end-of-pilot form, annotated
    with ``baseline_mean``, ``end_mean`` and ``change`` over all their indicators."""
    paired, pairing = _paired_end_ratings(pairings)
    paired = paired.filter(**{pairing: OuterRef("pk")})

    def mean(expression) -> Subquery:
        return Subquery(
            paired.annotate(_v=Cast(expression, FloatField()))
            .values(pairing)
            .annotate(m=Avg("_v"))
            .values("m")[:1],
            output_field=FloatField(),
        )

    return (
        pairings.annotate(
            baseline_mean=mean(F("baseline_score")),
            end_mean=mean(F("end_score")),
            change=mean(F("end_score") - F("baseline_score")),
        )
        .filter(change__isnull=False)
        .order_by("pk")
    )


def growth_by_pairing_and_domain(pairings: QuerySet[Pairing]) -> list[dict]:
    """Per pairing and domain: ``pairing`` (id), ``question``, ``question_label``,
    ``pairs``, ``baseline_mean``, ``end_mean``, ``change``. One query, for a person's
    years side by side."""
    paired, pairing = _paired_end_ratings(pairings)
    rows = (
        paired.values(pairing_key=F(pairing), question_key=F("question"))
        .annotate(**_growth_aggregates(pairing))
        .order_by()
    )
    result = []
    for row in rows:
        row = _rounded(dict(row))
        row["pairing"], row["question"] = row.pop("pairing_key"), row.pop("question_key")
        row["question_label"] = PilotQuestion(row["question"]).label
        result.append(row)
    result.sort(key=lambda r: (r["pairing"], QUESTION_ORDER[r["question"]]))
    return result


def _split_rows(pairings: QuerySet[Pairing], flag) -> list[dict]:
    """Per flag value and indicator key: sums of the scores and the number of paired
    scores (one per pairing and key, so also the pairings)."""
    paired, pairing = _paired_end_ratings(pairings)
    condition = flag(
        OuterRef(f"{pairing}__paraprofessional"),
        OuterRef(f"{pairing}__cohort"),
        OuterRef("question"),
    )
    return list(
        paired.annotate(flag=condition)
        .values("flag", "key", "question")
        .annotate(
            statement=Max("indicator__statement"),
            position=Min("indicator__position"),
            pairs=Count(pairing, distinct=True),
            baseline_sum=Sum("baseline_score"),
            end_sum=Sum("end_score"),
        )
        .order_by()
    )


def _means(row: dict) -> dict:
    """The growth figures of a row of sums (``pairs`` paired scores)."""
    baseline, end, pairs = row.pop("baseline_sum"), row.pop("end_sum"), row["pairs"]
    row["baseline_mean"] = _round(Decimal(baseline) / pairs)
    row["end_mean"] = _round(Decimal(end) / pairs)
    row["change"] = _round(Decimal(end - baseline) / pairs)
    return row


def _by_indicator_order(row: dict) -> tuple:
    return (QUESTION_ORDER[row["question"]], row["position"], row["key"])


def growth_by_indicator_and_split(pairings: QuerySet[Pairing], flag) -> tuple[list, list]:
    """``growth_by_indicator`` and the same split in two by ``flag``, from one query: each
    indicator's figures are the sums of its two halves (a pairing is in exactly one half
    of an indicator, and has one paired score per indicator key)."""
    rows = _split_rows(pairings, flag)
    whole: dict[tuple, dict] = {}
    for row in rows:
        key = (row["key"], row["question"])
        if key not in whole:
            whole[key] = {k: row[k] for k in ("key", "question", "statement", "position")}
            whole[key].update(pairs=0, baseline_sum=0, end_sum=0)
        total = whole[key]
        total["statement"] = max(total["statement"], row["statement"])
        total["position"] = min(total["position"], row["position"])
        for name in ("pairs", "baseline_sum", "end_sum"):
            total[name] += row[name]
    split = sorted((_means(row) for row in rows), key=_by_indicator_order)
    indicators = sorted((_means(row) for row in whole.values()), key=_by_indicator_order)
    for row in indicators:
        row["question_label"] = PilotQuestion(row["question"]).label
    return indicators, split


def has_end_forms(pairings: QuerySet[Pairing]) -> Exists:
    """For annotating cohorts: whether any of ``pairings`` in the cohort (``OuterRef("pk")``)
    has a submitted end-of-pilot observation. ``latest_cohort_with_end`` as a column."""
    return Exists(
        Observation.objects.filter(
            pairing__in=pairings, pairing__cohort=OuterRef("pk"), kind=Kind.END, status=SUBMITTED
        )
    )


def latest_cohort_with_end(pairings: QuerySet[Pairing]):
    """The id of the newest cohort (by start) in which any of the pairings has a submitted
    end-of-pilot observation, or None. One query."""
    return (
        Observation.objects.filter(pairing__in=pairings, kind=Kind.END, status=SUBMITTED)
        .order_by("-pairing__cohort__starts_on", "-pairing__cohort_id")
        .values_list("pairing__cohort_id", flat=True)
        .first()
    )


@dataclass
class IndicatorScores:
    key: str
    statement: str
    baseline: int | None
    mid: int | None
    end: int | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.end is None:
            return None
        return self.end - self.baseline


@dataclass
class DomainScores:
    question: str
    label: str
    baseline: Decimal | None
    mid: Decimal | None
    end: Decimal | None
    indicators: list[IndicatorScores] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.baseline is None or self.end is None:
            return None
        return self.end - self.baseline


@dataclass
class PairingScores:
    domains: list[DomainScores]
    kinds: list[str]  # the kinds that have a submitted form

    @property
    def has_growth(self) -> bool:
        return Kind.BASELINE in self.kinds and Kind.END in self.kinds


def pairing_scores(pairing: Pairing) -> PairingScores:
    """One pairing's submitted scores side by side (baseline, mid-pilot, end of pilot),
    per indicator and per domain (the domain's mean score). Two queries."""
    ratings = Rating.objects.filter(observation__pairing=pairing, observation__status=SUBMITTED)

    def by_kind(agg, kind: str):
        return agg("score", filter=Q(observation__kind=kind))

    indicator_rows = (
        ratings.values(key=F("indicator__key"), question=F("indicator__domain__question"))
        .annotate(
            statement=Max("indicator__statement"),
            position=Min("indicator__position"),
            baseline=by_kind(Max, Kind.BASELINE),
            mid=by_kind(Max, Kind.MID),
            end=by_kind(Max, Kind.END),
        )
        .order_by()
    )
    domain_rows = {
        row["question"]: row
        for row in ratings.values(question=F("indicator__domain__question"))
        .annotate(
            baseline=Avg(Cast("score", FloatField()), filter=Q(observation__kind=Kind.BASELINE)),
            mid=Avg(Cast("score", FloatField()), filter=Q(observation__kind=Kind.MID)),
            end=Avg(Cast("score", FloatField()), filter=Q(observation__kind=Kind.END)),
        )
        .order_by()
    }
    domains: dict[str, DomainScores] = {}
    for question in sorted(domain_rows, key=QUESTION_ORDER.__getitem__):
        row = domain_rows[question]
        domains[question] = DomainScores(
            question,
            PilotQuestion(question).label,
            _round(row["baseline"]),
            _round(row["mid"]),
            _round(row["end"]),
        )
    kinds: set[str] = set()
    for row in sorted(indicator_rows, key=lambda r: (r["position"], r["key"])):
        domains[row["question"]].indicators.append(
            IndicatorScores(row["key"], row["statement"], row["baseline"], row["mid"], row["end"])
        )
        kinds |= {k for k in (Kind.BASELINE, Kind.MID, Kind.END) if row[k] is not None}
    return PairingScores(list(domains.values()), [k for k in Kind.values if k in kinds])


# --- completion ----------------------------------------------------------------------


def trackable_pairings(pairings: QuerySet[Pairing], cohort) -> QuerySet[Pairing]:
    """The cohort's pairings that owe observations (not those that ended early)."""
    return pairings.filter(cohort=cohort).exclude(status=Pairing.Status.ENDED_EARLY)


def _done(kind: str) -> Count:
    return Count(
        "id",
        distinct=True,
        filter=Q(observations__kind=kind, observations__status=SUBMITTED),
    )


def completion_counts(pairings: QuerySet[Pairing], *group_by: str) -> list[dict]:
    """Pairings and submitted forms per group (e.g. ``"district__name"``): ``pairings``,
    ``baseline``, ``mid``, ``end`` (submitted), ``no_baseline``, ``no_end``."""
    rows = (
        pairings.values(*group_by)
        .annotate(
            pairing_count=Count("id", distinct=True),
            baseline=_done(Kind.BASELINE),
            mid=_done(Kind.MID),
            end=_done(Kind.END),
        )
        .order_by(*group_by)
    )
    result = []
    for row in rows:
        row = dict(row)
        row["pairings"] = row.pop("pairing_count")
        row["no_baseline"] = row["pairings"] - row["baseline"]
        row["no_end"] = row["pairings"] - row["end"]
        result.append(row)
    return result


def cohort_completion(
    pairings: QuerySet[Pairing], cohort, districts: Iterable[int] | None, *group_by: str
) -> list[dict]:
    """``completion_counts`` of the cohort's trackable pairings among ``pairings``, which
    are the pairings of ``districts`` (ids; None: every district), e.g. a coordinator's
    (``access.coordinated_pairings`` and ``access.coordinated_district_ids``). Where the
    triggers keep it, read from the summary ``Completion`` (a row per district: group by
    ``district_id`` or the district's fields); elsewhere counted live."""
    if not kept():
        return completion_counts(trackable_pairings(pairings, cohort), *group_by)
    rows = Completion.objects.filter(cohort=cohort)
    if districts is not None:
        rows = rows.filter(district_id__in=list(districts))
    result = []
    for row in (
        rows.values(*group_by)
        .annotate(
            pairing_count=Sum("pairings"),
            baseline=Sum("baseline_done"),
            mid=Sum("mid_done"),
            end=Sum("end_done"),
        )
        .order_by(*group_by)
    ):
        row = dict(row)
        row["pairings"] = row.pop("pairing_count")
        row["no_baseline"] = row["pairings"] - row["baseline"]
        row["no_end"] = row["pairings"] - row["end"]
        result.append(row)
    return result


def completion_totals(rows: list[dict]) -> dict:
    keys = ("pairings", "baseline", "mid", "end", "no_baseline", "no_end")
    return {key: sum(row[key] for row in rows) for key in keys}


def _state(kind: str):
    """2 = submitted, 1 = draft, 0 = not started."""
    return Coalesce(
        Max(
            Case(When(observations__status=SUBMITTED, then=Value(2)), default=Value(1)),
            filter=Q(observations__kind=kind),
        ),
        0,
    )


def with_completion(pairings: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """Pairings annotated with ``baseline_state``, ``mid_state``, ``end_state``:
    2 submitted, 1 draft, 0 not started."""
    return pairings.annotate(
        baseline_state=_state(Kind.BASELINE),
        mid_state=_state(Kind.MID),
        end_state=_state(Kind.END),
    )


def last_reminders(pairings: list[Pairing]) -> dict[tuple[int, str], datetime]:
    """(pairing id, kind) -> when its teacher was last reminded about that form (by the
    daily reminders or from the tracker). One query."""
    rows = (
        ReminderSent.objects.filter(pairing__in=[p.pk for p in pairings])
        .values("pairing_id", "kind")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    return {(r["pairing_id"], r["kind"]): r["last"] for r in rows}


def pending_quotes(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """Quotes waiting for a coordinator, from submitted observations, oldest first."""
    return (
        quotes.filter(status=Quote.Status.PENDING, observation__status=SUBMITTED)
        .select_related(
            "observation__pairing__teacher",
            "observation__pairing__paraprofessional",
            "observation__pairing__district",
        )
        .order_by("created_at", "id")
    )


def approved_quotes(quotes: QuerySet[Quote]) -> QuerySet[Quote]:
    """Approved quotes of submitted observations: what the program report may quote."""
    return quotes.filter(status=Quote.Status.APPROVED, observation__status=SUBMITTED).order_by(
        "decided_at", "id"
    )


# --- dashboards ----------------------------------------------------------------------


def forms_due(teacher, today) -> list:
    """The teacher's unsubmitted forms for their active pairings, soonest due first
    (``observations.schedule.DueForm``). Two queries."""
    from .schedule import forms_for

    pairings = (
        Pairing.objects.filter(teacher=teacher, status=Pairing.Status.ACTIVE)
        .select_related("paraprofessional")
        .prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.only("uuid", "kind", "status", "pairing_id"),
            )
        )
    )
    due = [form for pairing in pairings for form in forms_for(pairing) if not form.is_done]
    due.sort(key=lambda form: (form.due_on, form.pairing.paraprofessional.last_name))
    return due


def latest_observation(paraprofessional) -> Observation | None:
    """The newest submitted observation about the paraprofessional, with its teacher and
    acknowledgement. One query."""
    return (
        Observation.objects.filter(pairing__paraprofessional=paraprofessional, status=SUBMITTED)
        .select_related("pairing__teacher", "acknowledgement")
        .order_by("-submitted_at", "-id")
        .first()
    )
