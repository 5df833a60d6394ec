"""Mentoring's access policy: who sees which pairings, sessions and goals (outside => 404)
and who may do what with them (without => 403).

- program coordinator: every pairing; manages them (create, edit, complete, end early);
- district coordinator: the pairings in their districts (reads the numbers only);
- teacher / paraprofessional: the pairings they are a member of.
Coordinators see that sessions and goals exist (counts, minutes), never their text:
only the pair reads notes, next steps and goal text, and only the pair writes them.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from mentoring.models import Goal, MentoringSession, Pairing
from pilot.access.principal import principal
from pilot.access.rules import Capability, can
from pilot.models import User

AnyUser = User | AnonymousUser

# Actions a program coordinator takes on pairings (``obj`` None: on pairings in general).
MANAGE_ACTIONS = frozenset({"manage", "create", "edit", "complete", "end_early", "import"})
# Actions only the pair takes on its own pairing.
PAIR_ACTIONS = frozenset({"read_notes", "log_session", "set_goal"})


def _is_member(user: AnyUser, pairing: Pairing) -> bool:
    p = principal(user)
    return p.staff is not None and p.staff.pk in (pairing.teacher_id, pairing.paraprofessional_id)


def member_pairings(user: AnyUser) -> QuerySet[Pairing]:
    """Only the pairings the user belongs to as teacher or paraprofessional."""
    p = principal(user)
    if p.staff is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(Q(teacher=p.staff) | Q(paraprofessional=p.staff))


class PairingPolicy:
    def visible(self, user: AnyUser) -> QuerySet[Pairing]:
        p = principal(user)
        if not p.is_authenticated:
            return Pairing.objects.none()
        if p.is_program_coordinator:
            return Pairing.objects.all()
        scope = Q(district_id__in=p.district_ids) if p.district_ids else Q(pk__in=[])
        if p.staff is not None:
            scope |= Q(teacher=p.staff) | Q(paraprofessional=p.staff)
        return Pairing.objects.filter(scope)

    def allows(self, user: AnyUser, action: str, obj: Pairing | None = None) -> bool:
        if action in MANAGE_ACTIONS:
            return can(user, Capability.MANAGE_PROGRAM)
        if action in PAIR_ACTIONS:
            return obj is not None and _is_member(user, obj)
        if action == "filter":  # the list's filters: for those who see many pairs' pairings
            return principal(user).is_coordinator
        if action == "read":
            return obj is None or self.visible(user).filter(pk=obj.pk).exists()
        raise ValueError(f"Unknown pairing action {action!r}.")


class PairRecordPolicy:
    """Sessions and goals (with their notes and text) are the pair's alone: coordinators
    see none of them, only the counts ``mentoring.queries`` gives."""

    def __init__(self, model: type[MentoringSession] | type[Goal]) -> None:
        self.model = model

    def visible(self, user: AnyUser) -> QuerySet:
        return self.model.objects.filter(pairing__in=member_pairings(user))

    def allows(
        self, user: AnyUser, action: str, obj: MentoringSession | Goal | None = None
    ) -> bool:
        if action in ("read", "edit"):
            return obj is not None and _is_member(user, obj.pairing)
        raise ValueError(f"Unknown {self.model._meta.verbose_name} action {action!r}.")


PAIRINGS = PairingPolicy()
SESSIONS = PairRecordPolicy(MentoringSession)
GOALS = PairRecordPolicy(Goal)


def visible_pairings(user: AnyUser) -> QuerySet[Pairing]:
    """Pairings in the user's scope (used by the import, observations and the site)."""
    return PAIRINGS.visible(user)


def register() -> None:
    from pilot.access.policies import register_policy

    register_policy(Pairing, PAIRINGS)
    register_policy(MentoringSession, SESSIONS)
    register_policy(Goal, GOALS)


def flags(user: AnyUser, pairing: Pairing, *actions: str) -> dict[str, bool]:
    """``can_<action>`` for each action, for a page's template."""
    return {f"can_{action}": PAIRINGS.allows(user, action, pairing) for action in actions}
