"""Every write of mentoring, and the one home of each rule it keeps and of its message.

Each write is a keyword-only function that validates (``ValidationError`` keyed by the
model's field names), runs in one transaction and leaves history (django-simple-history
records each save). Forms and the pairing import ask the ``*_problems`` checks below to
show a refusal next to the field or column before anything is written; the database
constraints stay as the last line.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pilot.access.principal import principal
from pilot.mail import queue_mail
from pilot.models import Cohort, CohortEnrollment, District, Staff, User
from pilot.services.program import cohort_closed_problem, refuse_if_closed

from .access import GOALS, PAIRINGS, SESSIONS
from .models import (
    MAX_SESSION_MINUTES,
    Goal,
    MentoringSession,
    Pairing,
    SupportRole,
    validate_focus_areas,
)

Problems = dict[str, str]

ONE_ACTIVE_CONSTRAINT = "one_active_pairing_per_para_per_cohort"
REQUIRED = "Required."


def day(d: date) -> str:
    return date_format(d)


def _refuse(problems: Problems) -> None:
    if problems:
        raise ValidationError(problems)


# -- pairing rules -------------------------------------------------------------------------


def cohort_problems(*, cohort: Cohort, district: District, enrolled: bool) -> Problems:
    """A new pairing's cohort takes pairings, and its district is enrolled in it."""
    if closed := cohort_closed_problem(cohort):
        return {"cohort": closed}
    if not enrolled:
        return {"district": f"{district.name} is not enrolled in {cohort.name}."}
    return {}


def is_enrolled(district: District, cohort: Cohort) -> bool:
    return CohortEnrollment.objects.filter(
        district=district, cohort=cohort, withdrawn_on__isnull=True
    ).exists()


def may_join(*, role: str, districts: Iterable[int]) -> Q:
    """The staff who may be a new pairing's ``role`` in one of ``districts`` (ids): that role,
    in that district, active (``member_problem`` says which of these a person misses)."""
    return Q(role=role, district_id__in=districts, is_active=True)


def other_district(name: str, works_in: str, district: str) -> str:
    return (
        f"{name} works in {works_in}, not {district}: a pairing joins two people of one district."
    )


def member_problem(member: Staff, *, role: str, district: District) -> str | None:
    """Why ``member`` cannot be a new pairing's ``role`` in ``district`` (None: they can)."""
    if member.role != role:
        wanted = Staff.Role(role).label.lower()
        return f"{member.full_name} is a {member.get_role_display().lower()}, not a {wanted}."
    if member.district_id != district.pk:
        return other_district(member.full_name, member.district.name, district.name)
    if not member.is_active:
        return f"{member.full_name} is inactive."
    return None


def already_paired(para: Staff, cohort: Cohort, current: Pairing) -> str:
    return (
        f"{para.full_name} already has an active pairing in {cohort.name} "
        f"(with {current.teacher.full_name})."
    )


def active_pairing(para: Staff, cohort: Cohort, exclude: Pairing | None = None) -> Pairing | None:
    found = Pairing.objects.filter(
        cohort=cohort, paraprofessional=para, status=Pairing.Status.ACTIVE
    ).select_related("teacher")
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def date_problems(
    *, cohort: Cohort, starts_on: date | None, ends_on: date | None, closed_on: date | None = None
) -> Problems:
    """Dates ordered, inside the cohort, and a closed pairing started before it closed."""
    problems: Problems = {}
    if starts_on is None:
        problems["starts_on"] = REQUIRED
    if ends_on is None:
        problems["ends_on"] = REQUIRED
    if problems:
        return problems
    span = f"{day(cohort.starts_on)} – {day(cohort.ends_on)}"
    if ends_on < starts_on:
        problems["ends_on"] = "The end date cannot be before the start date."
    if closed_on and starts_on > closed_on:
        problems["starts_on"] = f"The pairing closed on {day(closed_on)}: start before."
    if "starts_on" not in problems and not cohort.starts_on <= starts_on <= cohort.ends_on:
        problems["starts_on"] = f"Start within the cohort ({span})."
    if "ends_on" not in problems and not cohort.starts_on <= ends_on <= cohort.ends_on:
        problems["ends_on"] = f"End within the cohort ({span})."
    return problems


def session_span(pairing: Pairing) -> tuple[date | None, date | None]:
    if pairing.pk is None:
        return None, None
    span = pairing.sessions.aggregate(first=Min("held_on"), last=Max("held_on"))
    return span["first"], span["last"]


def logged_sessions_problems(
    *, starts_on: date | None, ends_on: date | None, span: tuple[date | None, date | None]
) -> Problems:
    """Sessions already logged stay inside the pairing's dates."""
    first, last = span
    problems: Problems = {}
    if starts_on and first and starts_on > first:
        problems["starts_on"] = f"A session was logged on {date_format(first)}: start by then."
    if ends_on and last and ends_on < last:
        problems["ends_on"] = f"A session was logged on {date_format(last)}: end after it."
    return problems


def focus_problems(focus_areas: Any) -> Problems:
    try:
        validate_focus_areas(focus_areas)
    except ValidationError as error:
        return {"focus_areas": error.messages[0]}
    return {}


@dataclass
class PairingFacts:
    """What the pairing rules read from other records; the import passes them prefetched."""

    enrolled: bool
    current: Pairing | None  # the paraprofessional's other active pairing in the cohort
    span: tuple[date | None, date | None]  # the first and last session logged


def pairing_facts(
    *, pairing: Pairing | None, cohort: Cohort, district: District, para: Staff | None
) -> PairingFacts:
    new = pairing is None or pairing.pk is None
    return PairingFacts(
        enrolled=is_enrolled(district, cohort) if new else True,
        current=active_pairing(para, cohort, exclude=pairing) if new and para else None,
        span=session_span(pairing) if not new else (None, None),
    )


def pairing_problems(
    *,
    pairing: Pairing | None,
    cohort: Cohort,
    district: District,
    teacher: Staff | None,
    paraprofessional: Staff | None,
    starts_on: date | None,
    ends_on: date | None,
    focus_areas: Any,
    facts: PairingFacts,
) -> Problems:
    """Every rule of a pairing to create (``pairing`` None or unsaved) or to edit. A member
    left None (not chosen, or refused by a lookup) is not checked."""
    problems: Problems = {}
    new = pairing is None or pairing.pk is None
    if new:
        problems.update(cohort_problems(cohort=cohort, district=district, enrolled=facts.enrolled))
    if new and not problems:
        for field, member, role in (
            ("teacher", teacher, Staff.Role.TEACHER),
            ("paraprofessional", paraprofessional, Staff.Role.PARAPROFESSIONAL),
        ):
            if member is None:
                problems[field] = REQUIRED
            elif why := member_problem(member, role=role, district=district):
                problems[field] = why
        if "paraprofessional" not in problems and facts.current is not None:
            problems["paraprofessional"] = already_paired(paraprofessional, cohort, facts.current)
    closed_on = None if new else pairing.closed_on
    dates = date_problems(cohort=cohort, starts_on=starts_on, ends_on=ends_on, closed_on=closed_on)
    dates = logged_sessions_problems(starts_on=starts_on, ends_on=ends_on, span=facts.span) | dates
    problems.update(dates)
    problems.update(focus_problems(focus_areas))
    return problems


def support_role_problems(roles: dict[str, int]) -> Problems:
    for role, tier in roles.items():
        if role not in SupportRole.Role.values or tier not in SupportRole.Tier.values:
            return {"support_roles": f"“{role}: {tier}” is not a support role and MTSS tier."}
    return {}


# -- pairing writes ------------------------------------------------------------------------


def _set_support_roles(pairing: Pairing, roles: dict[str, int]) -> None:
    """Make the pairing's support roles exactly ``roles`` (role -> tier)."""
    current = {r.role: r for r in pairing.support_roles.all()}
    for role, existing in current.items():
        if role not in roles:
            existing.delete()
    for role, tier in roles.items():
        existing = current.get(role)
        if existing is None:
            SupportRole.objects.create(pairing=pairing, role=role, tier=tier)
        elif existing.tier != tier:
            existing.tier = tier
            existing.save(update_fields=["tier"])


def pairing_url(pairing: Pairing) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("mentoring:pairing-detail", args=[pairing.uuid])


def send_pairing_started(pairing: Pairing) -> None:
    """Each member gets an email naming the other, with the link to the pairing (queued:
    written with the pairing, sent once it commits)."""
    url = pairing_url(pairing)
    for member, other in (
        (pairing.teacher, pairing.paraprofessional),
        (pairing.paraprofessional, pairing.teacher),
    ):
        context = {"pairing": pairing, "member": member, "other": other, "url": url}
        queue_mail(
            to=member.email,
            subject=f"Your mentoring pairing with {other.full_name}",
            body=render_to_string("mentoring/email/pairing_started.txt", context),
            kind="pairing-started",
        )


def _history(pairing: Pairing, user: User | None, reason: str) -> None:
    if reason:
        pairing._change_reason = reason
    if user is not None and getattr(user, "is_authenticated", False):
        pairing._history_user = user


def create_pairing(
    *,
    cohort: Cohort,
    district: District,
    teacher: Staff,
    paraprofessional: Staff,
    starts_on: date,
    ends_on: date,
    focus_areas: list[str],
    support_roles: dict[str, int],
    by: User | None = None,
    reason: str = "",
) -> Pairing:
    """A new active pairing with its support roles; both members are emailed once it
    commits."""
    facts = pairing_facts(pairing=None, cohort=cohort, district=district, para=paraprofessional)
    values = {"starts_on": starts_on, "ends_on": ends_on, "focus_areas": focus_areas}
    members = {"teacher": teacher, "paraprofessional": paraprofessional}
    _refuse(
        pairing_problems(
            pairing=None, cohort=cohort, district=district, facts=facts, **members, **values
        )
        | support_role_problems(support_roles)
    )
    pairing = Pairing(
        cohort=cohort, district=district, status=Pairing.Status.ACTIVE, **members, **values
    )
    _history(pairing, by, reason)
    try:
        with transaction.atomic():
            pairing.save()
            _set_support_roles(pairing, support_roles)
            send_pairing_started(pairing)  # outbox rows in this transaction
    except IntegrityError as error:
        if ONE_ACTIVE_CONSTRAINT not in str(error):
            raise
        # Paired by someone else between the check above and the insert.
        raise ValidationError(
            {
                "paraprofessional": "This paraprofessional was paired a moment ago by "
                "someone else: choose another."
            }
        ) from None
    return pairing


def update_pairing(
    *,
    pairing: Pairing,
    starts_on: date,
    ends_on: date,
    focus_areas: list[str],
    support_roles: dict[str, int],
    by: User | None = None,
    reason: str = "",
) -> Pairing:
    """New dates, focus areas and support roles for a pairing (its members stay)."""
    refuse_if_closed(pairing.cohort)
    facts = pairing_facts(
        pairing=pairing, cohort=pairing.cohort, district=pairing.district, para=None
    )
    values = {"starts_on": starts_on, "ends_on": ends_on, "focus_areas": focus_areas}
    _refuse(
        pairing_problems(
            pairing=pairing,
            cohort=pairing.cohort,
            district=pairing.district,
            teacher=None,
            paraprofessional=None,
            facts=facts,
            **values,
        )
        | support_role_problems(support_roles)
    )
    for name, value in values.items():
        setattr(pairing, name, value)
    _history(pairing, by, reason)
    with transaction.atomic():
        pairing.save()
        _set_support_roles(pairing, support_roles)
    return pairing


def already_closed(pairing: Pairing) -> str:
    return f"This pairing is already {pairing.get_status_display().lower()}."


def closing_problems(
    *, pairing: Pairing, closed_on: date | None, reason: str | None, early: bool
) -> Problems:
    problems: Problems = {}
    if not pairing.is_active:
        problems[NON_FIELD_ERRORS] = already_closed(pairing)
    if closed_on is None:
        problems["closed_on"] = REQUIRED
    elif closed_on < pairing.starts_on:
        problems["closed_on"] = "This date is before the pairing started."
    elif closed_on > timezone.localdate():
        problems["closed_on"] = "This date is in the future."
    if early and not (reason or "").strip():
        problems["end_reason"] = "Say why the pairing ended early."
    return problems


def _close(pairing: Pairing, closed_on: date, reason: str, *, early: bool) -> Pairing:
    with transaction.atomic():
        # Locked and read again: two coordinators closing at once close it once.
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        pairing.status = locked.status
        refuse_if_closed(pairing.cohort)
        _refuse(closing_problems(pairing=pairing, closed_on=closed_on, reason=reason, early=early))
        pairing.status = Pairing.Status.ENDED_EARLY if early else Pairing.Status.COMPLETED
        pairing.closed_on = closed_on
        pairing.end_reason = reason.strip() if early else ""
        pairing.save(update_fields=["status", "closed_on", "end_reason", "updated_at"])
    return pairing


def complete_pairing(*, pairing: Pairing, closed_on: date) -> Pairing:
    """Mark a pairing completed. Nothing is deleted."""
    return _close(pairing, closed_on, "", early=False)


def end_pairing_early(*, pairing: Pairing, closed_on: date, reason: str) -> Pairing:
    """End a pairing early, with the reason the pair can read. Nothing is deleted."""
    return _close(pairing, closed_on, reason, early=True)


# -- sessions and goals (the pair's own) ---------------------------------------------------


def _ended(pairing: Pairing, what: str) -> Problems:
    if closed := cohort_closed_problem(pairing.cohort):
        return {NON_FIELD_ERRORS: closed}
    if pairing.is_active:
        return {}
    return {NON_FIELD_ERRORS: f"This pairing has ended: its {what} can no longer change."}


def session_problems(*, pairing: Pairing, held_on: date | None, minutes: int | None) -> Problems:
    problems = _ended(pairing, "sessions")
    if minutes is not None and not 1 <= minutes <= MAX_SESSION_MINUTES:
        problems["minutes"] = f"Enter 1 to {MAX_SESSION_MINUTES} minutes (a school day)."
    if held_on is not None:
        last = pairing.closed_on or pairing.ends_on
        if held_on > timezone.localdate():
            problems["held_on"] = "Log a session once it has happened: this date is ahead."
        elif not pairing.starts_on <= held_on <= last:
            problems["held_on"] = f"Pick a date from {day(pairing.starts_on)} to {day(last)}."
    return problems


def goal_problems(*, pairing: Pairing, target_on: date | None) -> Problems:
    problems = _ended(pairing, "goals")
    last = pairing.cohort.ends_on
    if target_on is not None and not pairing.starts_on <= target_on <= last:
        problems["target_on"] = f"Pick a date from {day(pairing.starts_on)} to {day(last)}."
    return problems


def _member(user: User, allowed: bool) -> Staff:
    if not allowed:
        raise PermissionDenied("Only the pair's members write its sessions and goals.")
    return principal(user).staff


def _save_session(session: MentoringSession, fields: dict[str, Any]) -> MentoringSession:
    for name, value in fields.items():
        setattr(session, name, value)
    _refuse(
        session_problems(pairing=session.pairing, held_on=session.held_on, minutes=session.minutes)
        | focus_problems(session.focus_areas)
    )
    with transaction.atomic():
        session.save()
    return session


def log_session(
    *,
    pairing: Pairing,
    by: User,
    held_on: date,
    minutes: int,
    focus_areas: list[str],
    notes: str,
    next_steps: str = "",
) -> MentoringSession:
    """A session the pair held, logged by one of its members."""
    staff = _member(by, PAIRINGS.allows(by, "log_session", pairing))
    session = MentoringSession(pairing=pairing, logged_by=staff)
    fields = {"held_on": held_on, "minutes": minutes, "focus_areas": focus_areas}
    return _save_session(session, fields | {"notes": notes, "next_steps": next_steps})


def update_session(
    *,
    session: MentoringSession,
    by: User,
    held_on: date,
    minutes: int,
    focus_areas: list[str],
    notes: str,
    next_steps: str = "",
) -> MentoringSession:
    _member(by, SESSIONS.allows(by, "edit", session))
    fields = {"held_on": held_on, "minutes": minutes, "focus_areas": focus_areas}
    return _save_session(session, fields | {"notes": notes, "next_steps": next_steps})


def _save_goal(goal: Goal, fields: dict[str, Any]) -> Goal:
    for name, value in fields.items():
        setattr(goal, name, value)
    _refuse(goal_problems(pairing=goal.pairing, target_on=goal.target_on))
    with transaction.atomic():
        goal.save()
    return goal


def add_goal(*, pairing: Pairing, by: User, focus_area: str, text: str, target_on: date) -> Goal:
    """A goal the pair sets, open until they mark it met or dropped."""
    staff = _member(by, PAIRINGS.allows(by, "set_goal", pairing))
    goal = Goal(pairing=pairing, set_by=staff, status=Goal.Status.OPEN)
    return _save_goal(goal, {"focus_area": focus_area, "text": text, "target_on": target_on})


def update_goal(
    *, goal: Goal, by: User, focus_area: str, text: str, target_on: date, status: str
) -> Goal:
    _member(by, GOALS.allows(by, "edit", goal))
    fields = {"focus_area": focus_area, "text": text, "target_on": target_on, "status": status}
    return _save_goal(goal, fields)


# -- the year rollover ---------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A pairing member as the rollover preview names them (read as values: the preview
    lists every pairing of a state, about 14,000)."""

    pk: int
    first_name: str
    last_name: str
    employee_id: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Carryover:
    """A paraprofessional's last pairing in a cohort and whether it goes on next year:
    ``teacher`` is who it continues with by default (None: left for re-pairing) and
    ``reason`` says why it does not continue (empty when it does). ``this_teacher`` is
    the pairing's teacher this year."""

    pairing_id: int
    district_id: int
    district: str
    para: Member
    this_teacher: Member
    teacher: Member | None
    reason: str

    @property
    def continues(self) -> bool:
        return not self.reason


_CARRYOVER_FIELDS = (
    "pk",
    "district_id",
    "district__name",
    "status",
    "end_reason",
    "paraprofessional_id",
    "paraprofessional__first_name",
    "paraprofessional__last_name",
    "paraprofessional__employee_id",
    "paraprofessional__email",
    "paraprofessional__role",
    "paraprofessional__is_active",
    "teacher_id",
    "teacher__first_name",
    "teacher__last_name",
    "teacher__employee_id",
    "teacher__email",
    "teacher__role",
    "teacher__district_id",
    "teacher__is_active",
)


def _stop_reason(
    row: dict[str, Any], para: Member, *, carried: set[int], leaving: Mapping[int, str]
) -> str:
    if row["district_id"] not in carried:
        return f"{row['district__name']} does not carry over."
    if not row["paraprofessional__is_active"]:
        return f"{para.full_name} is no longer active."
    if (role := row["paraprofessional__role"]) != Staff.Role.PARAPROFESSIONAL:
        return f"{para.full_name} is now a {Staff.Role(role).label.lower()}."
    if para.pk in leaving:
        return leaving[para.pk]
    if row["status"] == Pairing.Status.ENDED_EARLY:
        return f"The pairing ended early: {row['end_reason']}"
    return ""


def _named(row: dict[str, Any], prefix: str) -> Member:
    return Member(
        pk=row[f"{prefix}_id"],
        first_name=row[f"{prefix}__first_name"],
        last_name=row[f"{prefix}__last_name"],
        employee_id=row[f"{prefix}__employee_id"],
        email=row[f"{prefix}__email"],
    )


def rollover_pairings(
    *, cohort: Cohort, carried: set[int], leaving: Mapping[int, str] | None = None
) -> list[Carryover]:
    """Each paraprofessional's last pairing in ``cohort`` (their active one first), with
    whether it continues into the next cohort: their district is among ``carried`` (ids),
    they are still an active paraprofessional, not in ``leaving`` (staff id -> why they
    leave the program, e.g. completed or withdrew, as the site layer knows it), and the
    pairing did not end early. It continues with the same teacher while that teacher is
    still an active teacher of the district (``member_problem``'s rule). One query."""
    leaving = leaving or {}
    pairings = (
        Pairing.objects.filter(cohort=cohort)
        .order_by(
            "paraprofessional__last_name",
            "paraprofessional__first_name",
            "paraprofessional_id",
            # An active pairing before a closed one, then the latest.
            models.Case(models.When(status=Pairing.Status.ACTIVE, then=0), default=1),
            "-starts_on",
        )
        .values(*_CARRYOVER_FIELDS)
    )
    rows: list[Carryover] = []
    seen: set[int] = set()
    for row in pairings:
        if row["paraprofessional_id"] in seen:
            continue
        seen.add(row["paraprofessional_id"])
        para = _named(row, "paraprofessional")
        reason = _stop_reason(row, para, carried=carried, leaving=leaving)
        this_teacher = _named(row, "teacher")
        still_teaches = (
            row["teacher__role"] == Staff.Role.TEACHER
            and row["teacher__district_id"] == row["district_id"]
            and row["teacher__is_active"]
        )
        rows.append(
            Carryover(
                pairing_id=row["pk"],
                district_id=row["district_id"],
                district=row["district__name"],
                para=para,
                this_teacher=this_teacher,
                teacher=this_teacher if still_teaches and not reason else None,
                reason=reason,
            )
        )
    return rows


def pairings_to_carry(pks: list[int]) -> dict[int, Pairing]:
    """The pairings a rollover carries, as ``carry_pairing`` reads them (district, the
    paraprofessional and the school their email names, support roles): two queries."""
    return (
        Pairing.objects.select_related("cohort", "district", "paraprofessional__school")
        .prefetch_related("support_roles")
        .in_bulk(pks)
    )


def carry_pairing(
    *, pairing: Pairing, into: Cohort, teacher: Staff, by: User | None = None
) -> Pairing:
    """``pairing`` again in the cohort ``into``, for its whole span, with ``teacher`` (the
    same or another teacher of the district), the same focus areas and support roles."""
    return create_pairing(
        cohort=into,
        district=pairing.district,
        teacher=teacher,
        paraprofessional=pairing.paraprofessional,
        starts_on=into.starts_on,
        ends_on=into.ends_on,
        focus_areas=list(pairing.focus_areas),
        support_roles={role.role: role.tier for role in pairing.support_roles.all()},
        by=by,
        reason=f"Carried over from {pairing.cohort}.",
    )


def role_change_problems(*, staff: Staff, old_role: str, **_: object) -> list[str]:
    """The core's ``role_changing`` (inside the staff save's transaction): pairings keep
    their members' roles. A paraprofessional may become a teacher once no pairing of
    theirs is active; a teacher named by any pairing stays a teacher."""
    pairings = Pairing.objects.filter(models.Q(teacher=staff) | models.Q(paraprofessional=staff))
    if old_role == Staff.Role.TEACHER and pairings.filter(teacher=staff).exists():
        raise ValidationError(
            {
                "role": f"{staff.full_name} is the teacher of pairings, past or present: "
                "their role stays teacher."
            }
        )
    active = (
        pairings.filter(paraprofessional=staff, status=Pairing.Status.ACTIVE)
        .select_related("cohort")
        .first()
    )
    if old_role == Staff.Role.PARAPROFESSIONAL and active is not None:
        raise ValidationError(
            {
                "role": f"{staff.full_name} is the paraprofessional of an active pairing in "
                f"{active.cohort.name}: end or complete it before they become a teacher."
            }
        )
    return []
