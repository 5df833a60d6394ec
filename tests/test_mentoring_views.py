"""Creating, editing and closing pairings; logging sessions and goals; the panels."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import Goal, MentoringSession, Pairing
from tests.factories import (
    MentoringSessionFactory,
    PairingFactory,
    ParaFactory,
    SupportRoleFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def create_url(w) -> str:
    return reverse("mentoring:pairing-create") + f"?district=alpha&cohort={w.cohort.uuid}"


def test_create_pairing_saves_roles_and_emails_both(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users["dc_own"])
    page = client.get(create_url(world))
    assert f"{world.para.last_name}, {world.para.first_name}" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(world),
            {
                "teacher": world.teacher.pk,
                "paraprofessional": world.para.pk,
                "starts_on": "2026-09-01",
                "ends_on": "2027-06-15",
                "focus_areas": ["classroom_support", "classroom_management"],
                "role_small_group": "2",
                "role_tier1_support": "1",
            },
        )
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:pairing-detail", args=[pairing.uuid])
    assert pairing.district == world.district_a and pairing.status == "active"
    assert dict(pairing.support_roles.values_list("role", "tier")) == {
        "small_group": 2,
        "tier1_support": 1,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.teacher.email, world.para.email])
    link = f"/pairings/{pairing.uuid}/"
    for message in mail.outbox:
        other = world.para if message.to == [world.teacher.email] else world.teacher
        assert other.full_name in message.subject and other.full_name in message.body
        assert link in message.body
    # The paraprofessional is no longer offered for this cohort.
    again = client.get(create_url(world))
    assert world.para not in again.context["form"].fields["paraprofessional"].queryset
    assert f"{world.para.full_name} (with {world.teacher.full_name})" in again.content.decode()


def test_bad_create_writes_nothing(world, login) -> None:
    client = login(world.users["pc"])
    response = client.post(
        create_url(world),
        {
            "teacher": world.teacher_b.pk,
            "paraprofessional": world.para.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-15",
            "focus_areas": ["engagement"],
        },
    )
    assert response.status_code == 200
    assert "works in Beta District" in response.content.decode()
    assert not Pairing.objects.exists() and not mail.outbox


def test_start_step_is_shown_without_district_and_cohort(world, login) -> None:
    client = login(world.users["pc"])
    html = client.get(reverse("mentoring:pairing-create")).content.decode()
    assert "<legend>District and cohort</legend>" in html
    assert 'name="teacher"' not in html


def test_edit_keeps_members_and_replaces_roles(world, login) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    SupportRoleFactory(pairing=pairing, role="small_group", tier=2)
    client = login(world.users["dc_own"])
    response = client.post(
        reverse("mentoring:pairing-update", args=[pairing.uuid]),
        {
            "teacher": world.teacher_b.pk,  # ignored: members are fixed
            "starts_on": "2026-08-10",
            "ends_on": "2027-06-01",
            "focus_areas": ["engagement"],
            "role_monitoring": "1",
        },
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.teacher == world.teacher
    assert pairing.starts_on == date(2026, 8, 10) and pairing.focus_areas == ["engagement"]
    assert list(pairing.support_roles.values_list("role", "tier")) == [("monitoring", 1)]
    assert pairing.history.count() == 2
    assert pairing.history.first().history_user == world.users["dc_own"]


def test_complete_and_end_early(world, login) -> None:
    done = PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    client = login(world.users["pc"])
    response = client.post(
        reverse("mentoring:pairing-complete", args=[done.uuid]), {"closed_on": "2026-11-20"}
    )
    assert response.status_code == 302
    done.refresh_from_db()
    assert (done.status, done.closed_on) == ("completed", date(2026, 11, 20))

    early = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=ParaFactory(school=world.school_a),
    )
    bad = client.post(
        reverse("mentoring:pairing-end-early", args=[early.uuid]), {"closed_on": "2026-11-02"}
    )
    assert bad.status_code == 200
    early.refresh_from_db()
    assert early.status == "active"
    client.post(
        reverse("mentoring:pairing-end-early", args=[early.uuid]),
        {"closed_on": "2026-11-02", "end_reason": "Moved to another building."},
    )
    early.refresh_from_db()
    assert early.status == "ended_early" and early.end_reason == "Moved to another building."
    html = client.get(reverse("mentoring:pairing-detail", args=[early.uuid])).content.decode()
    assert "Ended early" in html and "Moved to another building." in html
    assert reverse("mentoring:pairing-end-early", args=[early.uuid]) not in html
    # Closing twice is refused with a message, not an error.
    again = client.post(
        reverse("mentoring:pairing-complete", args=[early.uuid]), {"closed_on": "2026-11-03"}
    )
    assert again.status_code == 302
    early.refresh_from_db()
    assert early.status == "ended_early"


def test_member_logs_a_session_and_sets_a_goal(world, login) -> None:
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        starts_on=date(2026, 9, 1),
    )
    client = login(world.users["para"])
    response = client.post(
        reverse("mentoring:session-create", args=[pairing.uuid]),
        {
            "held_on": "2026-10-14",
            "minutes": "35",
            "focus_areas": ["engagement"],
            "notes": "Talked about ED 101.",
            "next_steps": "Read chapter 2.",
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert session.logged_by == world.para and session.minutes == 35
    client.post(
        reverse("mentoring:goal-create", args=[pairing.uuid]),
        {"focus_area": "engagement", "text": "Finish ED 101.", "target_on": "2027-01-15"},
    )
    goal = Goal.objects.get()
    assert goal.status == "open" and goal.set_by == world.para
    login(world.users["teacher"]).post(
        reverse("mentoring:goal-update", args=[goal.uuid]),
        {
            "focus_area": "engagement",
            "text": "Finish ED 101.",
            "target_on": "2027-01-15",
            "status": "met",
        },
    )
    goal.refresh_from_db()
    assert goal.status == "met" and goal.set_by == world.para


def test_closed_pairing_takes_no_sessions(world, login) -> None:
    pairing = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        status="completed",
        closed_on=date(2026, 11, 1),
    )
    client = login(world.users["teacher"])
    response = client.post(
        reverse("mentoring:session-create", args=[pairing.uuid]),
        {"held_on": "2026-10-01", "minutes": "30", "focus_areas": ["engagement"], "notes": "x"},
    )
    assert response.status_code == 200
    assert "has ended" in response.content.decode()
    assert not MentoringSession.objects.exists()


def test_dashboards_show_my_paraprofessionals_and_my_mentor(world, login) -> None:
    second_para = ParaFactory(school=world.school_a, first_name="Quinn", last_name="Second")
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=second_para)
    MentoringSessionFactory(pairing=pairing, minutes=50)
    teacher_html = login(world.users["teacher"]).get("/").content.decode()
    assert "My paraprofessionals" in teacher_html
    assert world.para.full_name in teacher_html and "Quinn Second" in teacher_html
    assert "1 session (50 min)" in teacher_html
    para_html = login(world.users["para"]).get("/").content.decode()
    assert "My mentor" in para_html and world.teacher.full_name in para_html
    assert "Quinn Second" not in para_html


def test_district_page_counts_support_roles_by_school(world, login) -> None:
    for role, tier in (("small_group", 2), ("monitoring", 1)):
        SupportRoleFactory(
            pairing=PairingFactory(
                cohort=world.cohort,
                teacher=world.teacher,
                paraprofessional=ParaFactory(school=world.school_a),
            ),
            role=role,
            tier=tier,
        )
    SupportRoleFactory(
        pairing=PairingFactory(
            cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
        ),
        role="small_group",
        tier=2,
    )
    ended = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=ParaFactory(school=world.school_a),
        status="ended_early",
        closed_on=date(2026, 9, 1),
        end_reason="x",
    )
    SupportRoleFactory(pairing=ended, role="small_group", tier=3)  # not counted: ended
    html = login(world.users["dc_own"]).get("/districts/alpha/").content.decode()
    assert "Paraprofessional support roles" in html
    small_group = (
        '<td>Small-group instruction</td><td class="text-end">0</td>'
        '<td class="text-end">2</td><td class="text-end">0</td><td class="text-end">2</td>'
    )
    monitoring = (
        '<td>Classroom monitoring</td><td class="text-end">1</td>'
        '<td class="text-end">0</td><td class="text-end">0</td><td class="text-end">1</td>'
    )
    assert small_group in html and monitoring in html


def test_unpaired_lists_who_has_no_active_pairing(world, login) -> None:
    lonely = ParaFactory(school=world.school_a, first_name="Lone", last_name="Para")
    pair_link = f"para={lonely.uuid}"
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    TeacherFactory(school=world.school_a, first_name="Free", last_name="Teacher")
    client = login(world.users["dc_own"])
    html = client.get(reverse("mentoring:unpaired")).content.decode()
    assert "Para, Lone" in html and pair_link in html
    assert world.para.last_name + ", " + world.para.first_name not in html
    assert world.para_b.last_name + ", " + world.para_b.first_name not in html  # other district
    teachers = client.get(reverse("mentoring:unpaired") + "?role=teacher").content.decode()
    assert "Teacher, Free" in teachers
    assert f"{world.teacher.last_name}, {world.teacher.first_name}" not in teachers


def test_pairing_list_shows_minutes_with_thousands_separators(world, login):
    pairing = PairingFactory(cohort=world.cohort, teacher=world.teacher)
    for _ in range(3):
        MentoringSessionFactory(pairing=pairing, minutes=400)
    page = login(world.users["pc"]).get(reverse("mentoring:pairing-list")).content.decode()
    assert '<td class="text-end">1,200</td>' in page
