"""Who sees which pairings, sessions and goals (out of scope => 404).

- program coordinator: every pairing;
- district coordinator: pairings in their districts;
- teacher / paraprofessional: the pairings they are a member of.
Coordinators see that sessions and goals exist (counts, minutes), never their text:
only the pair reads notes, next steps and goal text (``can_read_pair_notes``).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from mentoring.models import Goal, MentoringSession, Pairing
from pilot.access.principal import principal
from pilot.models import User


def visible_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    p = principal(user)
    if not p.is_authenticated:
        return Pairing.objects.none()
    if p.is_program_coordinator:
        return Pairing.objects.all()
    scope = Q(district_id__in=p.district_ids) if p.district_ids else Q(pk__in=[])
    if p.staff is not None:
        scope |= Q(teacher=p.staff) | Q(paraprofessional=p.staff)
    return Pairing.objects.filter(scope)


def member_pairings(user: User | AnonymousUser) -> QuerySet[Pairing]:
    """Only the pairings the user belongs to as teacher or paraprofessional."""
    p = principal(user)
    if p.staff is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(Q(teacher=p.staff) | Q(paraprofessional=p.staff))


def is_pair_member(user: User | AnonymousUser, pairing: Pairing) -> bool:
    p = principal(user)
    return p.staff is not None and p.staff.pk in (pairing.teacher_id, pairing.paraprofessional_id)


def visible_sessions(user: User | AnonymousUser) -> QuerySet[MentoringSession]:
    """Session records (with their notes) are the pair's: coordinators see none."""
    return MentoringSession.objects.filter(pairing__in=member_pairings(user))


def visible_goals(user: User | AnonymousUser) -> QuerySet[Goal]:
    """Goal records (with their text) are the pair's: coordinators see only counts."""
    return Goal.objects.filter(pairing__in=member_pairings(user))
