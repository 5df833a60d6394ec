"""Who sees and does what with observations, quotes and the rubric (out of scope => 404).

- program coordinator: every observation; district coordinator: those of pairings in
  their districts (drafts too, for the completion tracker). Either may reopen a
  submitted one in scope and approve or decline quotes in scope.
- the pair's teacher: every observation of their pairings, and edits the drafts;
- the pair's paraprofessional: only the submitted observations about them, which they
  acknowledge. They never edit (403 on the teacher's pages, by role).
- another teacher, another district's coordinator: 404.

Views, sections and templates ask ``OBSERVATIONS``, ``QUOTES`` and ``RUBRICS`` (registered
with the core in ``ObservationsConfig.ready``); no role or membership is tested elsewhere.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from mentoring.models import Pairing
from observations.models import Observation, Quote, ReminderRun, ReminderSent, Rubric
from pilot.access.principal import Principal, principal
from pilot.access.rules import Capability, can
from pilot.models import User

SUBMITTED = Observation.Status.SUBMITTED


def _coordinator_scope(p: Principal, prefix: str) -> Q | None:
    """None: everything (program coordinator); else a filter (possibly matching nothing)."""
    if p.is_program_coordinator:
        return None
    if p.district_ids:
        return Q(**{f"{prefix}district_id__in": p.district_ids})
    return Q(pk__in=[])


def _coordinates(p: Principal, pairing: Pairing) -> bool:
    return p.is_coordinator and (p.is_program_coordinator or pairing.district_id in p.district_ids)


def _writes(p: Principal, pairing: Pairing) -> bool:
    """The user is the pair's teacher: they write its observations."""
    return p.is_teacher and pairing.teacher_id == p.staff.pk


def coordinated_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    """Pairings a coordinator tracks for completion (the pair's own are not included)."""
    p = principal(user)
    if not p.is_coordinator:
        return Pairing.objects.none()
    scope = _coordinator_scope(p, "")
    return Pairing.objects.all() if scope is None else Pairing.objects.filter(scope)


def coordinated_district_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """The districts of ``coordinated_pairings``: None for all of them."""
    p = principal(user)
    if not p.is_coordinator:
        return frozenset()
    return None if p.is_program_coordinator else p.district_ids


def mentored_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    """The pairings in which the user is the teacher: they write these observations."""
    p = principal(user)
    if not p.is_teacher:
        return Pairing.objects.none()
    return Pairing.objects.filter(teacher=p.staff)


class ObservationPolicy:
    """Observations, and starting one on a pairing.

    Actions on an observation: ``edit`` and ``submit`` (the pair's teacher, a draft),
    ``reopen`` (a coordinator in scope, once submitted), ``acknowledge`` (the pair's
    paraprofessional, once submitted), ``consent_to_quote`` (the pair's teacher),
    ``see_quotes`` (the pair's teacher or a coordinator). On a pairing: ``start``,
    ``remind`` (a coordinator in scope sends the teacher a reminder from the tracker).
    Without a record, the parts of the observations page a user has: ``track`` (the
    completion tracker), ``write`` (forms due), ``receive`` (observations about them).
    """

    def visible(self, user: User | AnonymousUser) -> QuerySet[Observation]:
        p = principal(user)
        if not p.is_authenticated:
            return Observation.objects.none()
        scope = _coordinator_scope(p, "pairing__")
        if scope is None:
            return Observation.objects.all()
        if p.staff is not None:
            scope |= Q(pairing__teacher=p.staff) | Q(
                pairing__paraprofessional=p.staff, status=SUBMITTED
            )
        return Observation.objects.filter(scope)

    def coordinated(self, user: User | AnonymousUser) -> QuerySet[Observation]:
        """Observations a coordinator answers for: the ones they may reopen (when submitted)."""
        p = principal(user)
        if not p.is_coordinator:
            return Observation.objects.none()
        scope = _coordinator_scope(p, "pairing__")
        return Observation.objects.all() if scope is None else Observation.objects.filter(scope)

    def written(self, user: User | AnonymousUser) -> QuerySet[Observation]:
        """Observations the user wrote as the pair's teacher (editable while drafts).

        A condition on the joined pairing rather than ``pairing IN (subquery)``: with the
        joins a page adds (pair, school, cohort, ...) PostgreSQL stops reordering joins and
        would read every observation in the state before applying the subquery."""
        p = principal(user)
        if not p.is_teacher:
            return Observation.objects.none()
        return Observation.objects.filter(pairing__teacher=p.staff)

    def received(self, user: User | AnonymousUser) -> QuerySet[Observation]:
        """The submitted observations about the user as a paraprofessional."""
        p = principal(user)
        if not p.is_paraprofessional:
            return Observation.objects.none()
        return Observation.objects.filter(pairing__paraprofessional=p.staff, status=SUBMITTED)

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        p = principal(user)
        if obj is None:
            return {
                "track": p.is_coordinator,
                "remind": p.is_coordinator,
                "write": p.is_teacher,
                "receive": p.is_paraprofessional,
            }.get(action, False)
        if isinstance(obj, Pairing):
            if action == "remind":
                return _coordinates(p, obj)
            return action == "start" and _writes(p, obj)
        pairing = obj.pairing
        if action in ("edit", "submit"):
            return _writes(p, pairing) and obj.status == Observation.Status.DRAFT
        if action == "consent_to_quote":
            return _writes(p, pairing)
        if action == "see_quotes":
            return _writes(p, pairing) or _coordinates(p, pairing)
        if action == "reopen":
            return obj.is_submitted and _coordinates(p, pairing)
        if action == "acknowledge":
            return (
                p.is_paraprofessional
                and obj.is_submitted
                and pairing.paraprofessional_id == p.staff.pk
            )
        return False


class QuotePolicy:
    """Quotes a coordinator curates (those of observations in their scope): they
    ``approve`` or ``decline`` them."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[Quote]:
        return Quote.objects.filter(observation__in=OBSERVATIONS.coordinated(user))

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        if action not in ("approve", "decline"):
            return False
        p = principal(user)
        return p.is_coordinator if obj is None else _coordinates(p, obj.observation.pairing)


class RubricPolicy:
    """Everyone who sees observations reads every rubric version; ``publish`` a new one:
    whoever manages the rubric."""

    def visible(self, user: User | AnonymousUser) -> QuerySet[Rubric]:
        return Rubric.objects.all() if principal(user).is_authenticated else Rubric.objects.none()

    def allows(self, user: User | AnonymousUser, action: str, obj: Any = None) -> bool:
        return action == "publish" and can(user, Capability.MANAGE_RUBRIC)


OBSERVATIONS = ObservationPolicy()
QUOTES = QuotePolicy()
RUBRICS = RubricPolicy()

# The site layer's reports read the quotes in scope.
visible_quotes = QUOTES.visible


def reminder_runs(user: User | AnonymousUser) -> QuerySet[ReminderRun]:
    """Every run, for coordinators, each with the emails and forms it sent in their scope."""
    p = principal(user)
    if not p.is_coordinator:
        return ReminderRun.objects.none()
    in_scope = Q(reminders__pairing__in=coordinated_pairings(user))
    return ReminderRun.objects.annotate(
        emails_in_scope=Count("reminders__message", filter=in_scope, distinct=True),
        forms_in_scope=Count("reminders", filter=in_scope),
    )


def reminders_sent(user: User | AnonymousUser) -> QuerySet[ReminderSent]:
    """The reminders about pairings the coordinator tracks."""
    return ReminderSent.objects.filter(pairing__in=coordinated_pairings(user))
