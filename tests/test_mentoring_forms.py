"""Every bad input to the mentoring forms gets a message on its field."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from mentoring.forms import (
    ClosePairingForm,
    GoalForm,
    PairingForm,
    PairingStartForm,
    SessionForm,
)
from mentoring.models import Pairing
from pilot.access import visible_cohorts, visible_districts, visible_staff
from tests.factories import (
    CohortFactory,
    DistrictFactory,
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def pairing_form(w, user=None, **data) -> PairingForm:
    user = user or w.users["pc"]
    values = {
        "teacher": w.teacher.pk,
        "paraprofessional": w.para.pk,
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-31",
        "focus_areas": ["classroom_support", "engagement"],
        "role_small_group": "2",
        "role_monitoring": "1",
    }
    values.update(data)
    return PairingForm(values, cohort=w.cohort, district=w.district_a, staff=visible_staff(user))


def test_valid_pairing_form(world) -> None:
    form = pairing_form(world)
    assert form.is_valid(), form.errors
    assert form.support_roles() == {"small_group": 2, "monitoring": 1}
    assert form.instance.district == world.district_a


def test_teacher_of_another_district(world) -> None:
    form = pairing_form(world, teacher=world.teacher_b.pk)
    assert not form.is_valid()
    assert form.errors["teacher"] == [
        f"{world.teacher_b.full_name} works in Beta District, not Alpha District: a pairing "
        "joins two people of one district."
    ]


def test_paraprofessional_of_another_district(world) -> None:
    form = pairing_form(world, paraprofessional=world.para_b.pk)
    assert not form.is_valid()
    assert "works in Beta District" in form.errors["paraprofessional"][0]


def test_district_coordinator_cannot_even_name_staff_outside_their_districts(world) -> None:
    form = pairing_form(world, user=world.users["dc_own"], paraprofessional=world.para_b.pk)
    assert not form.is_valid()
    assert world.para_b.last_name not in form.errors["paraprofessional"][0]
    assert "valid choice" in form.errors["paraprofessional"][0]


def test_paraprofessional_already_paired(world) -> None:
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    other_teacher = TeacherFactory(school=world.school_a)
    form = pairing_form(world, teacher=other_teacher.pk)
    assert not form.is_valid()
    assert form.errors["paraprofessional"] == [
        f"{world.para.full_name} already has an active pairing in {world.cohort} "
        f"(with {world.teacher.full_name})."
    ]
    # ...and the form said so before anyone tried: the field explains who is missing.
    help_text = pairing_form(world).fields["paraprofessional"].help_text
    assert f"{world.para.full_name} (with {world.teacher.full_name})" in help_text


def test_paired_in_another_cohort_is_still_available(world) -> None:
    other = CohortFactory(starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30))
    PairingFactory(cohort=other, teacher=world.teacher, paraprofessional=world.para)
    assert pairing_form(world).is_valid()


@pytest.mark.parametrize(
    "field, dates",
    [
        ("starts_on", {"starts_on": "2026-07-31"}),
        ("ends_on", {"ends_on": "2027-07-01"}),
    ],
)
def test_dates_outside_the_cohort(world, field, dates) -> None:
    form = pairing_form(world, **dates)
    assert not form.is_valid()
    assert form.errors[field][0].startswith(
        "Start within the cohort" if field == "starts_on" else "End within the cohort"
    )
    assert "Aug 1, 2026 – Jun 30, 2027" in form.errors[field][0]


def test_end_before_start(world) -> None:
    form = pairing_form(world, starts_on="2026-10-01", ends_on="2026-09-30")
    assert not form.is_valid()
    assert form.errors["ends_on"] == ["The end date cannot be before the start date."]


def test_teacher_as_paraprofessional(world) -> None:
    other_teacher = TeacherFactory(school=world.school_a)
    form = pairing_form(world, paraprofessional=other_teacher.pk)
    assert not form.is_valid()
    assert form.errors["paraprofessional"] == [
        f"{other_teacher.full_name} is a teacher, not a paraprofessional."
    ]


def test_paraprofessional_as_teacher(world) -> None:
    other_para = ParaFactory(school=world.school_a)
    form = pairing_form(world, teacher=other_para.pk)
    assert not form.is_valid()
    assert form.errors["teacher"] == [
        f"{other_para.full_name} is a paraprofessional, not a teacher."
    ]


def test_inactive_staff_are_refused(world) -> None:
    world.para.is_active = False
    world.para.save()
    form = pairing_form(world)
    assert not form.is_valid()
    assert form.errors["paraprofessional"] == [f"{world.para.full_name} is inactive."]


def test_focus_area_required_and_roles_known(world) -> None:
    form = pairing_form(world, focus_areas=[], role_small_group="4")
    assert not form.is_valid()
    assert form.errors["focus_areas"] == ["Choose at least one focus area."]
    assert "role_small_group" in form.errors


def test_edit_form_has_no_member_fields_and_shows_roles(world) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    pairing.support_roles.create(role="one_on_one", tier=3)
    form = PairingForm(
        instance=pairing,
        cohort=world.cohort,
        district=world.district_a,
        staff=visible_staff(world.users["pc"]),
    )
    assert "teacher" not in form.fields and "paraprofessional" not in form.fields
    assert form["role_one_on_one"].value() == 3


def test_start_form_needs_an_enrolled_district(world) -> None:
    gamma = DistrictFactory(name="Gamma", slug="gamma")
    form = PairingStartForm(
        {"district": gamma.slug, "cohort": str(world.cohort.uuid)},
        districts=visible_districts(world.users["pc"]),
        cohorts=visible_cohorts(world.users["pc"]),
    )
    assert not form.is_valid()
    assert form.errors["cohort"] == [f"Gamma is not enrolled in {world.cohort}."]


def test_start_form_limits_a_district_coordinator(world) -> None:
    user = world.users["dc_own"]
    form = PairingStartForm(
        {"district": "beta", "cohort": str(world.cohort.uuid)},
        districts=visible_districts(user),
        cohorts=visible_cohorts(user),
    )
    assert not form.is_valid()
    assert "district" in form.errors


# -- sessions ------------------------------------------------------------------------


@pytest.fixture
def pairing(world) -> Pairing:
    return PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 5, 31),
    )


def session_form(pairing, **data) -> SessionForm:
    values = {
        "held_on": "2026-10-05",
        "minutes": "45",
        "focus_areas": ["classroom_management"],
        "notes": "Planned transitions.",
        "next_steps": "",
    }
    values.update(data)
    form = SessionForm(values, pairing=pairing)
    form.instance.logged_by = pairing.teacher
    return form


def test_valid_session(pairing) -> None:
    assert session_form(pairing).is_valid()


@pytest.mark.parametrize("minutes", ["0", "481", "-5"])
def test_session_minutes(pairing, minutes) -> None:
    form = session_form(pairing, minutes=minutes)
    assert not form.is_valid()
    assert "minutes" in form.errors


def test_session_before_the_pairing(pairing) -> None:
    form = session_form(pairing, held_on="2026-08-31")
    assert not form.is_valid()
    assert form.errors["held_on"] == ["Pick a date from Sep 1, 2026 to May 31, 2027."]


def test_session_in_the_future(pairing) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = session_form(pairing, held_on=tomorrow.isoformat())
    assert not form.is_valid()
    assert "ahead" in form.errors["held_on"][0]


def test_session_on_a_closed_pairing(pairing) -> None:
    pairing.status, pairing.closed_on, pairing.end_reason = "ended_early", date(2026, 10, 9), "x"
    pairing.save()
    form = session_form(pairing, held_on="2026-10-01")
    assert not form.is_valid()
    assert "has ended" in form.non_field_errors()[0]
    late = session_form(pairing, held_on="2026-10-20")
    assert not late.is_valid()
    assert late.errors["held_on"] == ["Pick a date from Sep 1, 2026 to Oct 9, 2026."]


def test_session_needs_notes_and_focus(pairing) -> None:
    form = session_form(pairing, notes="", focus_areas=[])
    assert not form.is_valid()
    assert set(form.errors) == {"notes", "focus_areas"}


# -- goals and closing ---------------------------------------------------------------


def test_goal_target_inside_the_pairing(pairing) -> None:
    form = GoalForm(
        {"focus_area": "engagement", "text": "Finish ED 101.", "target_on": "2027-07-15"},
        pairing=pairing,
    )
    form.instance.set_by = pairing.teacher
    assert not form.is_valid()
    assert form.errors["target_on"] == ["Pick a date from Sep 1, 2026 to Jun 30, 2027."]
    assert "status" not in form.fields  # a new goal is open


def test_goal_focus_area_must_be_a_pilot_question(pairing) -> None:
    form = GoalForm(
        {"focus_area": "recess", "text": "x", "target_on": "2027-01-15"}, pairing=pairing
    )
    assert not form.is_valid()
    assert "focus_area" in form.errors


def test_ending_early_needs_a_reason(pairing) -> None:
    form = ClosePairingForm(
        {"closed_on": "2026-10-01", "end_reason": "  "}, pairing=pairing, early=True
    )
    assert not form.is_valid()
    assert form.errors["end_reason"]


def test_closing_before_the_start_or_in_the_future(pairing) -> None:
    before = ClosePairingForm({"closed_on": "2026-08-15"}, pairing=pairing, early=False)
    assert not before.is_valid()
    assert before.errors["closed_on"] == ["This date is before the pairing started."]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    ahead = ClosePairingForm({"closed_on": future}, pairing=pairing, early=False)
    assert not ahead.is_valid()
    assert ahead.errors["closed_on"] == ["This date is in the future."]


def edit_form(w, pairing, **data) -> PairingForm:
    values = {"starts_on": "2026-09-01", "ends_on": "2027-05-31", "focus_areas": ["engagement"]}
    values.update(data)
    return PairingForm(
        values,
        instance=pairing,
        cohort=w.cohort,
        district=w.district_a,
        staff=visible_staff(w.users["pc"]),
    )


def test_edit_keeps_logged_sessions_inside_the_dates(world, pairing) -> None:
    MentoringSessionFactory(pairing=pairing, held_on=date(2026, 9, 10))
    MentoringSessionFactory(pairing=pairing, held_on=date(2026, 11, 2))
    form = edit_form(world, pairing, starts_on="2026-09-15", ends_on="2026-11-01")
    assert not form.is_valid()
    assert form.errors["starts_on"] == ["A session was logged on Sep 10, 2026: start by then."]
    assert form.errors["ends_on"] == ["A session was logged on Nov 2, 2026: end after it."]
    assert edit_form(world, pairing, starts_on="2026-09-10", ends_on="2026-11-02").is_valid()


def test_edit_cannot_start_after_the_pairing_closed(world, pairing) -> None:
    pairing.status, pairing.closed_on = "completed", date(2026, 10, 1)
    pairing.save()
    form = edit_form(world, pairing, starts_on="2026-10-15")
    assert not form.is_valid()
    assert form.errors["starts_on"] == ["The pairing closed on Oct 1, 2026: start before."]
