"""Who sees and does what with observations, quotes and the rubric (out of scope => 404).

- program coordinator: every observation; district coordinator: those of pairings in
  their districts (drafts too, for the completion tracker). Either may reopen a
  submitted one in scope and approve or decline quotes in scope.
- the pair's teacher: every observation of their pairings, and edits the drafts;
- the pair's paraprofessional: only the submitted observations about them, which they
  acknowledge. They never edit (403 on the teacher's pages, by role).
- another teacher, another district's coordinator: 404.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from mentoring.models import Pairing
from observations.models import Observation, Quote
from pilot.access.principal import principal
from pilot.models import User

SUBMITTED = Observation.Status.SUBMITTED


def _coordinator_scope(user: User | AnonymousUser, prefix: str) -> Q | None:
    """None: everything (program coordinator); else a filter (possibly matching nothing)."""
    p = principal(user)
    if p.is_program_coordinator:
        return None
    if p.district_ids:
        return Q(**{f"{prefix}district_id__in": p.district_ids})
    return Q(pk__in=[])


def visible_observations(user: User | AnonymousUser) -> QuerySet[Observation]:
    p = principal(user)
    if not p.is_authenticated:
        return Observation.objects.none()
    scope = _coordinator_scope(user, "pairing__")
    if scope is None:
        return Observation.objects.all()
    if p.staff is not None:
        scope |= Q(pairing__teacher=p.staff) | Q(
            pairing__paraprofessional=p.staff, status=SUBMITTED
        )
    return Observation.objects.filter(scope)


def coordinated_observations(user: User | AnonymousUser) -> QuerySet[Observation]:
    """Observations a coordinator answers for: the ones they may reopen (when submitted)."""
    p = principal(user)
    if not p.is_coordinator:
        return Observation.objects.none()
    scope = _coordinator_scope(user, "pairing__")
    return Observation.objects.all() if scope is None else Observation.objects.filter(scope)


def coordinated_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    """Pairings a coordinator tracks for completion (the pair's own are not included)."""
    p = principal(user)
    if not p.is_coordinator:
        return Pairing.objects.none()
    scope = _coordinator_scope(user, "")
    return Pairing.objects.all() if scope is None else Pairing.objects.filter(scope)


def mentored_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    """The pairings in which the user is the teacher: they write these observations."""
    p = principal(user)
    if not p.is_teacher:
        return Pairing.objects.none()
    return Pairing.objects.filter(teacher=p.staff)


def teacher_observations(user: User | AnonymousUser) -> QuerySet[Observation]:
    """Observations the user wrote as the pair's teacher (editable while drafts).

    A condition on the joined pairing rather than ``pairing IN (subquery)``: with the
    joins a page adds (pair, school, cohort, ...) PostgreSQL stops reordering joins and
    would read every observation in the state before applying the subquery."""
    p = principal(user)
    if not p.is_teacher:
        return Observation.objects.none()
    return Observation.objects.filter(pairing__teacher=p.staff)


def own_observations(user: User | AnonymousUser) -> QuerySet[Observation]:
    """The submitted observations about the user as a paraprofessional."""
    p = principal(user)
    if not p.is_paraprofessional:
        return Observation.objects.none()
    return Observation.objects.filter(pairing__paraprofessional=p.staff, status=SUBMITTED)


def visible_quotes(user: User | AnonymousUser) -> QuerySet[Quote]:
    """Quotes a coordinator curates: those of observations in their scope."""
    return Quote.objects.filter(observation__in=coordinated_observations(user))


def can_edit_observation(user: User | AnonymousUser, observation: Observation) -> bool:
    p = principal(user)
    return (
        p.is_teacher
        and observation.pairing.teacher_id == p.staff.pk
        and observation.status == Observation.Status.DRAFT
    )


def can_reopen_observation(user: User | AnonymousUser, observation: Observation) -> bool:
    p = principal(user)
    if not observation.is_submitted or not p.is_coordinator:
        return False
    return p.is_program_coordinator or observation.pairing.district_id in p.district_ids


def can_acknowledge_observation(user: User | AnonymousUser, observation: Observation) -> bool:
    p = principal(user)
    return (
        p.is_paraprofessional
        and observation.is_submitted
        and observation.pairing.paraprofessional_id == p.staff.pk
    )
