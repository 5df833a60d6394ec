"""Who sees a paraprofessional's path and who records which milestone.

- Seeing the person page (outside => 404): the program coordinator, a district
  coordinator of the person's district, the teachers who mentor or have mentored them in
  any cohort, the college liaison of a college they study at, and the person themself.
- Recording (without => 403): cohort status and employment — coordinators in scope;
  credentials — the college liaison (of the plan's college); assessments — a coordinator
  in scope or the person themself, verified by a coordinator in scope.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from coursework.access import LEARNERS
from coursework.models import Enrollment
from mentoring.models import Pairing
from pilot.access.principal import principal
from pilot.models import District, Staff, User

from .models import Assessment, CohortStatus, Credential, EmploymentEvent

AnyUser = User | AnonymousUser

# Actions on a person (``obj`` is the paraprofessional's staff record).
# Linking a teacher record to the person, or undoing it, is recording employment.
COORDINATOR_ACTIONS = frozenset(
    {"record_status", "record_employment", "verify_assessment", "link_teacher_record"}
)


def _in_scope(user: AnyUser, para: Staff | None) -> bool:
    p = principal(user)
    if para is None:
        return p.is_coordinator
    return p.is_program_coordinator or para.district_id in p.district_ids


def _is_self(user: AnyUser, para: Staff | None) -> bool:
    p = principal(user)
    return p.is_paraprofessional and para is not None and p.staff.pk == para.pk


class PersonPolicy:
    """A paraprofessional's person page and the milestones on it."""

    def visible(self, user: AnyUser) -> QuerySet[Staff]:
        """Paraprofessionals, and teachers since who were paired as one (the same record),
        in the user's scope: coursework's learners, plus, for anyone paired as a
        paraprofessional, the coordinators of their district or of the district of the
        teacher record linked to them, every mentor they had (past ones too), the
        liaison of a college they studied at, and the person themself."""
        p = principal(user)
        was_para = Exists(Pairing.objects.filter(paraprofessional=OuterRef("pk")))
        people = Staff.objects.filter(Q(role=Staff.Role.PARAPROFESSIONAL) | Q(was_para))
        if p.is_program_coordinator:
            return people
        allowed = Q(pk__in=LEARNERS.visible(user).values("pk"))
        if p.district_ids:
            allowed |= Q(district_id__in=p.district_ids) | Q(
                teacher_link__teacher__district_id__in=p.district_ids
            )
        if p.college_ids:
            allowed |= Q(
                pk__in=Enrollment.objects.filter(
                    offering__course__college_id__in=p.college_ids
                ).values("para_id")
            )
        if p.staff is not None:
            mentored = Pairing.objects.filter(teacher=p.staff).values("paraprofessional_id")
            allowed |= Q(pk=p.staff.pk) | Q(pk__in=mentored) | Q(teacher_link__teacher=p.staff)
        return people.filter(allowed)

    def allows(self, user: AnyUser, action: str, obj: Any = None) -> bool:
        p = principal(user)
        if action in COORDINATOR_ACTIONS:
            return _in_scope(user, obj)
        if action == "record_assessment":
            return _in_scope(user, obj) or _is_self(user, obj)
        if action == "record_credential":
            return p.is_college_liaison
        if action == "import_credentials":
            return p.is_college_liaison
        if action == "import_milestones":
            return p.is_coordinator
        if action == "report":
            return p.is_coordinator
        raise ValueError(f"Unknown person action {action!r}.")


class MilestonePolicy:
    """A milestone is visible with its person; editing it takes the action that records it
    (an assessment already verified is the coordinators' to change)."""

    def __init__(self, model: type, action: str) -> None:
        self.model = model
        self.action = action

    def visible(self, user: AnyUser) -> QuerySet:
        return self.model.objects.filter(para__in=PERSONS.visible(user).values("pk"))

    def allows(self, user: AnyUser, action: str, obj: Any = None) -> bool:
        if action != "edit":
            raise ValueError(f"Unknown milestone action {action!r}.")
        para = obj.para if obj is not None else None
        if self.model is Credential:
            return obj is not None and obj.plan.college_id in principal(user).college_ids
        if self.model is Assessment and obj is not None and obj.verified_by_id is not None:
            return _in_scope(user, para)
        return PERSONS.allows(user, self.action, para)


class DistrictRulePolicy:
    """A district's pathway rules: the program coordinator and the district's
    coordinators set them (outsiders 404 through ``visible``)."""

    def visible(self, user: AnyUser) -> QuerySet[District]:
        p = principal(user)
        if p.is_program_coordinator:
            return District.objects.all()
        return District.objects.filter(pk__in=p.district_ids)

    def allows(self, user: AnyUser, action: str, obj: Any = None) -> bool:
        if action != "edit":
            raise ValueError(f"Unknown district rule action {action!r}.")
        p = principal(user)
        return p.is_program_coordinator or (obj is not None and obj.pk in p.district_ids)


PERSONS = PersonPolicy()
DISTRICT_RULES = DistrictRulePolicy()
# A district's pathway rules (the core's District) have their own label.
DISTRICT_RULE = "pathways.DistrictRule"
STATUSES = MilestonePolicy(CohortStatus, "record_status")
CREDENTIALS = MilestonePolicy(Credential, "record_credential")
ASSESSMENTS = MilestonePolicy(Assessment, "record_assessment")
EMPLOYMENT = MilestonePolicy(EmploymentEvent, "record_employment")
# Persons are staff records (the core's model): their pathways face has its own label.
PERSON = "pathways.Person"


def register() -> None:
    from pilot.access import register_policy

    register_policy(PERSON, PERSONS)
    register_policy(DISTRICT_RULE, DISTRICT_RULES)
    register_policy(CohortStatus, STATUSES)
    register_policy(Credential, CREDENTIALS)
    register_policy(Assessment, ASSESSMENTS)
    register_policy(EmploymentEvent, EMPLOYMENT)


def flags(user: AnyUser, para: Staff) -> dict[str, bool]:
    """``can_<action>`` for the person page's template."""
    return {
        f"can_{action}": PERSONS.allows(user, action, para)
        for action in (
            "record_status",
            "record_employment",
            "record_assessment",
            "verify_assessment",
            "record_credential",
            "link_teacher_record",
        )
    }
