"""The database keeps the mentoring rules even when the services are bypassed: each test
names the constraint that refuses the row (PostgreSQL)."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from mentoring.models import Goal, MentoringSession, Pairing, SupportRole
from tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    SupportRoleFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="composite keys are PostgreSQL-only"
)


def _pairing(w, **fields) -> Pairing:
    values = {
        "cohort": w.cohort,
        "district": w.district_a,
        "teacher": w.teacher,
        "paraprofessional": w.para,
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2027, 5, 31),
        "focus_areas": ["classroom_support"],
    }
    values.update(fields)
    return Pairing.objects.create(**values)


def _refused(make, constraint: str) -> None:
    """Refused by the named constraint, not by whichever other one happens to fire."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


def test_a_valid_pairing_is_stored(world) -> None:
    pairing = _pairing(world)
    assert pairing.teacher_role == "teacher"
    assert pairing.paraprofessional_role == "paraprofessional"
    assert pairing.history.count() == 1


@postgres_only
def test_teacher_of_another_district_is_refused(world) -> None:
    _refused(lambda: _pairing(world, teacher=world.teacher_b), "pairing_teacher_in_district")


@postgres_only
def test_paraprofessional_of_another_district_is_refused(world) -> None:
    _refused(lambda: _pairing(world, paraprofessional=world.para_b), "pairing_para_in_district")


@postgres_only
def test_pairing_district_must_be_the_members_district(world) -> None:
    _refused(lambda: _pairing(world, district=world.district_b), "pairing_teacher_in_district")


@postgres_only
def test_a_teacher_cannot_be_the_paraprofessional(world) -> None:
    other_teacher = TeacherFactory(school=world.school_a)
    _refused(lambda: _pairing(world, paraprofessional=other_teacher), "pairing_para_in_district")


@postgres_only
def test_a_paraprofessional_cannot_be_the_teacher(world) -> None:
    other_para = ParaFactory(school=world.school_a)
    _refused(lambda: _pairing(world, teacher=other_para), "pairing_teacher_in_district")


@postgres_only
def test_a_paired_staff_member_cannot_move_district(world) -> None:
    _pairing(world)
    world.para.district = world.district_b
    world.para.school = world.school_b
    # The paraprofessional's key cascades (a role may change): the district it carries to
    # the pairing is then not the teacher's.
    _refused(lambda: world.para.save(), "pairing_teacher_in_district")


@postgres_only
def test_an_active_pairings_paraprofessional_stays_a_paraprofessional(world) -> None:
    _pairing(world)
    world.para.role = "teacher"
    _refused(lambda: world.para.save(), "pairing_para_role_while_active")


@postgres_only
def test_a_paired_teacher_stays_a_teacher(world) -> None:
    _pairing(world, status="completed", closed_on=date(2027, 5, 1))
    world.teacher.role = "paraprofessional"
    _refused(lambda: world.teacher.save(), "pairing_teacher_in_district")


@postgres_only
def test_the_paraprofessional_of_past_pairings_may_become_a_teacher(world) -> None:
    pairing = _pairing(world, status="completed", closed_on=date(2027, 5, 1))
    world.para.role = "teacher"
    world.para.save()
    pairing.refresh_from_db()
    assert pairing.paraprofessional_role == "teacher"
    # Reopening it would pair a teacher as the paraprofessional.
    pairing.status, pairing.closed_on = "active", None
    _refused(lambda: pairing.save(), "pairing_para_role_while_active")


def test_a_new_pairing_names_a_paraprofessional(world) -> None:
    _refused(
        lambda: _pairing(world, paraprofessional_role="teacher"), "pairing_para_role_while_active"
    )


def test_role_columns_cannot_be_changed(world) -> None:
    _refused(
        lambda: _pairing(world, teacher_role="paraprofessional"), "pairing_teacher_role_constant"
    )


def test_one_active_pairing_per_paraprofessional_per_cohort(world) -> None:
    _pairing(world)
    other_teacher = TeacherFactory(school=world.school_a)
    _refused(
        lambda: _pairing(world, teacher=other_teacher), "one_active_pairing_per_para_per_cohort"
    )


def test_a_closed_pairing_frees_the_paraprofessional(world) -> None:
    _pairing(
        world,
        status=Pairing.Status.ENDED_EARLY,
        closed_on=date(2026, 10, 1),
        end_reason="Moved schools.",
    )
    again = _pairing(world, teacher=TeacherFactory(school=world.school_a))
    assert again.status == Pairing.Status.ACTIVE


def test_end_date_not_before_start(world) -> None:
    _refused(
        lambda: _pairing(world, starts_on=date(2026, 9, 2), ends_on=date(2026, 9, 1)),
        "pairing_dates_ordered",
    )


def test_status_must_be_known(world) -> None:
    _refused(
        lambda: _pairing(world, status="paused", closed_on=date(2026, 10, 1)),
        "pairing_status_valid",
    )


def test_ending_early_needs_a_reason(world) -> None:
    _refused(
        lambda: _pairing(world, status=Pairing.Status.ENDED_EARLY, closed_on=date(2026, 10, 1)),
        "pairing_early_end_has_reason",
    )


def test_closed_pairing_needs_its_closing_date(world) -> None:
    _refused(
        lambda: _pairing(world, status=Pairing.Status.COMPLETED), "pairing_closed_on_matches_status"
    )
    _refused(
        lambda: _pairing(world, closed_on=date(2026, 10, 1)), "pairing_closed_on_matches_status"
    )  # active with a date
    _refused(
        lambda: _pairing(world, status=Pairing.Status.COMPLETED, closed_on=date(2026, 8, 1)),
        "pairing_closed_on_matches_status",
    )


@pytest.mark.parametrize("minutes", [0, 481])
def test_session_minutes_within_a_school_day(world, minutes) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    _refused(
        lambda: MentoringSessionFactory(pairing=pairing, minutes=minutes),
        "session_minutes_school_day",
    )


def test_session_minutes_boundaries_accepted(world) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    MentoringSessionFactory(pairing=pairing, minutes=1)
    MentoringSessionFactory(pairing=pairing, minutes=480)
    assert MentoringSession.objects.filter(pairing=pairing).count() == 2


def test_one_support_role_of_each_kind_per_pairing(world) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    SupportRoleFactory(pairing=pairing, role=SupportRole.Role.SMALL_GROUP, tier=2)
    _refused(
        lambda: SupportRoleFactory(pairing=pairing, role=SupportRole.Role.SMALL_GROUP, tier=3),
        "one_support_role_per_kind",
    )


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"tier": 0}, "support_tier_1_3"),
        ({"tier": 4}, "support_tier_1_3"),
        ({"role": "cafeteria"}, "support_role_valid"),
    ],
)
def test_support_role_tier_and_kind_are_known(world, fields, constraint) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    _refused(lambda: SupportRoleFactory(pairing=pairing, **fields), constraint)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "done"}, "goal_status_valid"),
        ({"focus_area": "recess"}, "goal_focus_area_valid"),
    ],
)
def test_goal_status_and_focus_area_are_known(world, fields, constraint) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    _refused(lambda: GoalFactory(pairing=pairing, **fields), constraint)


def test_a_pairing_with_sessions_or_goals_cannot_be_deleted(world) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    MentoringSessionFactory(pairing=pairing)
    with pytest.raises(ProtectedError):
        pairing.delete()
    other = PairingFactory(cohort=world.cohort)
    GoalFactory(pairing=other)
    with pytest.raises(ProtectedError):
        other.delete()
    assert Goal.objects.filter(pairing=other).exists()


def test_staff_in_a_pairing_cannot_be_deleted(world) -> None:
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    with pytest.raises(ProtectedError):
        world.para.delete()
