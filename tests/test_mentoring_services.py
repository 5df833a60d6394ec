"""mentoring.services is the one write path: each rule, with its message, refused there."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.forms import PairingForm
from mentoring.imports import PairingResource
from mentoring.models import Goal, MentoringSession, Pairing
from pilot.access import visible_staff
from tests.factories import PairingFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def create(w, **fields) -> Pairing:
    values = {
        "cohort": w.cohort,
        "district": w.district_a,
        "teacher": w.teacher,
        "paraprofessional": w.para,
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2027, 5, 31),
        "focus_areas": ["engagement"],
        "support_roles": {"small_group": 2},
    }
    return services.create_pairing(**(values | fields))


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


@pytest.fixture
def pairing(world) -> Pairing:
    return PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 5, 31),
    )


def test_create_pairing_writes_roles_and_history(world, mailoutbox) -> None:
    pairing = create(world)
    assert pairing.status == Pairing.Status.ACTIVE
    assert {r.role: r.tier for r in pairing.support_roles.all()} == {"small_group": 2}
    assert pairing.history.count() == 1


def test_create_refuses_members_of_the_wrong_role_or_district(world) -> None:
    errors = refusal(lambda: create(world, teacher=world.para, paraprofessional=world.para_b))
    assert errors["teacher"] == [f"{world.para.full_name} is a paraprofessional, not a teacher."]
    assert errors["paraprofessional"] == [
        f"{world.para_b.full_name} works in Beta District, not Alpha District: a pairing joins "
        "two people of one district."
    ]
    assert not Pairing.objects.exists()


def test_create_refuses_a_second_active_pairing(world) -> None:
    create(world)
    errors = refusal(lambda: create(world, teacher=TeacherFactory(school=world.school_a)))
    assert errors["paraprofessional"] == [
        f"{world.para.full_name} already has an active pairing in {world.cohort.name} "
        f"(with {world.teacher.full_name})."
    ]


def test_create_refuses_dates_outside_the_cohort_and_unordered(world) -> None:
    errors = refusal(lambda: create(world, starts_on=date(2020, 1, 1), ends_on=date(2019, 1, 1)))
    assert errors["ends_on"] == ["The end date cannot be before the start date."]
    assert errors["starts_on"][0].startswith("Start within the cohort (")


def test_update_keeps_logged_sessions_inside_the_dates(world, pairing) -> None:
    MentoringSession.objects.create(
        pairing=pairing,
        held_on=date(2026, 9, 10),
        minutes=30,
        focus_areas=["engagement"],
        notes="x",
        logged_by=world.teacher,
    )
    errors = refusal(
        lambda: services.update_pairing(
            pairing=pairing,
            starts_on=date(2026, 9, 15),
            ends_on=date(2027, 5, 31),
            focus_areas=["engagement"],
            support_roles={},
        )
    )
    assert errors["starts_on"] == ["A session was logged on Sep 10, 2026: start by then."]


def test_closing_rules(pairing) -> None:
    errors = refusal(
        lambda: services.end_pairing_early(pairing=pairing, closed_on=date(2026, 8, 1), reason=" ")
    )
    assert errors == {
        "closed_on": ["This date is before the pairing started."],
        "end_reason": ["Say why the pairing ended early."],
    }
    services.complete_pairing(pairing=pairing, closed_on=date(2026, 10, 1))
    again = refusal(lambda: services.complete_pairing(pairing=pairing, closed_on=date(2026, 10, 2)))
    assert again["__all__"] == ["This pairing is already completed."]


def test_sessions_and_goals_are_written_by_the_pair_only(world, pairing) -> None:
    session = services.log_session(
        pairing=pairing,
        by=world.users["para"],
        held_on=date(2026, 9, 3),
        minutes=20,
        focus_areas=["engagement"],
        notes="Talked.",
    )
    assert session.logged_by == world.para
    with pytest.raises(PermissionDenied):
        services.add_goal(
            pairing=pairing,
            by=world.users["pc"],
            focus_area="engagement",
            text="x",
            target_on=date(2027, 1, 1),
        )
    assert not Goal.objects.exists()


def test_session_rules(world, pairing) -> None:
    ahead = timezone.localdate() + timedelta(days=2)
    errors = refusal(
        lambda: services.log_session(
            pairing=pairing,
            by=world.users["teacher"],
            held_on=ahead,
            minutes=600,
            focus_areas=["engagement"],
            notes="x",
        )
    )
    assert errors["minutes"] == ["Enter 1 to 480 minutes (a school day)."]
    assert errors["held_on"] == ["Log a session once it has happened: this date is ahead."]


def test_the_services_message_reaches_the_form_field(world) -> None:
    create(world)
    form = PairingForm(
        {
            "teacher": TeacherFactory(school=world.school_a).pk,
            "paraprofessional": world.para.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2027-05-31",
            "focus_areas": ["engagement"],
        },
        cohort=world.cohort,
        district=world.district_a,
        staff=visible_staff(world.users["pc"]),
    )
    assert not form.is_valid()
    assert form.errors["paraprofessional"] == [
        services.already_paired(world.para, world.cohort, Pairing.objects.get())
    ]


def test_a_service_refusal_at_confirm_lands_on_the_rows_columns(world) -> None:
    error = ValidationError({"ends_on": "End within the cohort.", "district": "Not enrolled."})
    assert PairingResource.service_columns(error) == {
        "end date": ["End within the cohort."],
        "district": ["Not enrolled."],
    }
