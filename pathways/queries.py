"""Reads for the person page and the pipeline report: each a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from coursework import credit
from coursework import queries as coursework_queries
from coursework.models import RequirementBlock
from mentoring import queries as mentoring_queries
from mentoring.models import Goal, Pairing
from observations import queries as observation_queries
from observations.models import Observation
from pilot.access import visible_staff
from pilot.models import Staff

from .models import Assessment, CohortStatus, Credential, EmploymentEvent, TeacherRecord


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("pairing").annotate(n=Count("id")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


@dataclass
class PilotYear:
    """One cohort the person took part in: the numbers anyone who sees them may read
    (never the session notes or goal text)."""

    pairing: Pairing
    status: CohortStatus | None
    growth: list[dict] = field(default_factory=list)


def pilot_years(para: Staff, statuses: list[CohortStatus]) -> list[PilotYear]:
    """Each pairing of the person, oldest first, with its mentor, session count, minutes,
    goals met, observations submitted, growth per domain and the cohort's status (from
    ``statuses``, the person's, fetched by ``milestones``): two queries however many
    years."""
    pairings = mentoring_queries.with_summary(
        Pairing.objects.filter(paraprofessional=para)
    ).annotate(
        goals_met=_count(Goal.objects.filter(pairing=OuterRef("pk"), status=Goal.Status.MET)),
        observations_submitted=_count(
            Observation.objects.filter(pairing=OuterRef("pk"), status=Observation.Status.SUBMITTED)
        ),
    )
    pairings = list(pairings.order_by("cohort__starts_on", "starts_on"))
    by_cohort = {s.cohort_id: s for s in statuses}
    growth: dict[int, list[dict]] = {}
    if pairings:
        ids = Pairing.objects.filter(pk__in=[p.pk for p in pairings])
        for row in observation_queries.growth_by_pairing_and_domain(ids):
            growth.setdefault(row["pairing"], []).append(row)
    return [PilotYear(p, by_cohort.get(p.cohort_id), growth.get(p.pk, [])) for p in pairings]


@dataclass
class Milestones:
    statuses: list[CohortStatus]
    credentials: list[Credential]
    assessments: list[Assessment]
    employment: list[EmploymentEvent]


def milestones(para: Staff) -> Milestones:
    """Every milestone of the person with who recorded it: four queries."""
    found = Milestones(
        statuses=list(
            CohortStatus.objects.filter(para=para).select_related("cohort", "recorded_by")
        ),
        credentials=list(
            Credential.objects.filter(para=para).select_related("plan__college", "recorded_by")
        ),
        assessments=list(
            Assessment.objects.filter(para=para).select_related("entered_by", "verified_by")
        ),
        employment=list(
            EmploymentEvent.objects.filter(para=para).select_related(
                "district", "school", "recorded_by"
            )
        ),
    )
    for rows in (found.statuses, found.credentials, found.assessments, found.employment):
        for row in rows:
            row.para = para  # the policies read it: no query per row
    return found


@dataclass
class Coursework:
    earned: object
    in_progress: object
    plan_name: str | None
    progress: credit.PlanProgress | None
    credential_due: bool  # every block met and no credential recorded for the plan


def coursework(para: Staff, credentials: list[Credential]) -> Coursework:
    """Credit earned and in progress, and the declared plan's progress: four queries when
    ``para`` was fetched with ``select_related("declared_plan__plan")``."""
    record = coursework_queries.learner_record(para)
    declaration = coursework_queries.declared_plan(para)
    progress = None
    if declaration is not None:
        plan = declaration.plan
        prefetch_related_objects(
            [plan],
            Prefetch(
                "blocks",
                queryset=RequirementBlock.objects.order_by("order", "id").prefetch_related(
                    "courses"
                ),
            ),
        )
        progress = credit.plan_progress(coursework_queries.plan_rules(plan), record.items)
    recorded = {c.plan_id for c in credentials}
    return Coursework(
        earned=record.earned,
        in_progress=record.in_progress,
        plan_name=declaration.plan.name if declaration else None,
        progress=progress,
        credential_due=bool(
            progress and progress.is_complete and declaration.plan_id not in recorded
        ),
    )


def leaving_paraprofessionals(cohort: Any) -> dict[int, str]:
    """Who does not continue into the next year by their status in ``cohort`` (completed
    the program, or withdrew): staff id -> the reason the rollover preview shows."""
    leaving = {}
    for para_id, status, reason in CohortStatus.objects.filter(
        cohort=cohort, status__in=[CohortStatus.Status.COMPLETED, CohortStatus.Status.WITHDREW]
    ).values_list("para_id", "status", "reason"):
        if status == CohortStatus.Status.COMPLETED:
            leaving[para_id] = "Completed the program"
        else:
            leaving[para_id] = f"Withdrew ({CohortStatus.Reason(reason).label.lower()})"
    return leaving


def teacher_record(para: Staff, user: Any) -> dict | None:
    """The teacher record linked to the person (``para`` fetched with its
    ``teacher_link``), and whether the user may open its staff page: no query, one when
    linked."""
    try:
        link = para.teacher_link
    except TeacherRecord.DoesNotExist:
        return None
    return {
        "link": link,
        "teacher_visible": visible_staff(user).filter(pk=link.teacher_id).exists(),
    }
