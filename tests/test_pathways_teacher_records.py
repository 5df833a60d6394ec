"""A paraprofessional who becomes a teacher: the role change on the staff page records the
teacher-of-record milestone in the same transaction (the core's ``role_changing`` hook,
which pathways and mentoring follow), and a teacher's record elsewhere is linked to the
paraprofessional they were, so the person page and the pipeline follow the person. A
district's rule decides whether a teacher of record without a credential warns."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Pairing
from pathways import pipeline, services
from pathways.models import DistrictRule, EmploymentEvent, TeacherRecord
from pilot.models import Staff
from pilot.services.staff import update_staff
from tests.factories import CohortFactory, PairingFactory, TeacherFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def _past_year(w: World) -> Pairing:
    """The world's para took part in last year's cohort (completed), and in no other."""
    cohort = CohortFactory(
        name="2025–2026 Pilot",
        starts_on=date(2025, 8, 1),
        ends_on=date(2026, 6, 30),
        status="closed",
    )
    return PairingFactory(
        cohort=cohort,
        teacher=w.teacher,
        paraprofessional=w.para,
        district=w.district_a,
        starts_on=date(2025, 8, 18),
        ends_on=date(2026, 6, 5),
        status="completed",
        closed_on=date(2026, 6, 5),
    )


def _as_teacher(w: World, member: Staff | None = None) -> Staff:
    member = member or w.para
    return update_staff(
        staff=member,
        asked_by=w.users["pc"],
        first_name=member.first_name,
        last_name=member.last_name,
        email=member.email,
        role=Staff.Role.TEACHER,
        district=member.district,
        school=member.school,
        employee_id=member.employee_id,
    )


def _as_teacher_form(w: World) -> dict:
    """The staff page's form for the world's para, with the role changed to teacher."""
    return {
        "first_name": w.para.first_name,
        "last_name": w.para.last_name,
        "email": w.para.email,
        "role": "teacher",
        "district": w.district_a.pk,
        "school": w.school_a.pk,
        "employee_id": w.para.employee_id,
    }


def test_role_change_records_the_teacher_of_record_milestone(world) -> None:
    pairing = _past_year(world)
    saved = _as_teacher(world)
    hire = EmploymentEvent.objects.get()
    assert (hire.kind, hire.district, hire.school) == (
        "teacher_of_record",
        world.district_a,
        world.school_a,
    )
    assert hire.occurred_on == timezone.localdate()
    assert hire.recorded_by == world.users["pc"]
    assert saved.role_change_notes[0].startswith(
        f"On {world.para.full_name}'s path: became a teacher of record at {world.school_a.name}"
    )
    # The record is a teacher's; its past pairing follows and the pipeline still counts it.
    pairing.refresh_from_db()
    assert pairing.paraprofessional_role == "teacher"
    people = pipeline.people(Staff.objects.all())
    assert [(p.cohort_id, p.hired_on) for p in people] == [(pairing.cohort_id, hire.occurred_on)]


def test_role_change_the_milestone_refuses_is_not_saved(world) -> None:
    """The first cohort starts after today: no milestone can be dated today, so the role
    stays as it was and nothing is written (one transaction)."""
    future = CohortFactory(
        starts_on=timezone.localdate() + timedelta(days=40),
        ends_on=timezone.localdate() + timedelta(days=300),
    )
    PairingFactory(
        cohort=future,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        status="completed",
        closed_on=timezone.localdate() + timedelta(days=50),
    )
    with pytest.raises(ValidationError) as refused:
        _as_teacher(world)
    assert "before" in refused.value.message_dict["role"][0]
    world.para.refresh_from_db()
    assert world.para.role == "paraprofessional"
    assert not EmploymentEvent.objects.exists()


def test_an_active_pairings_paraprofessional_keeps_the_role_with_a_message(world, login) -> None:
    PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
    )
    data = _as_teacher_form(world)
    response = login(world.users["pc"]).post(
        reverse("pilot:staff-update", args=[world.para.uuid]), data
    )
    assert response.status_code == 200
    assert (
        f"is the paraprofessional of an active pairing in {world.cohort.name}: end or "
        "complete it before they become a teacher."
    ) in response.content.decode()
    world.para.refresh_from_db()
    assert world.para.role == "paraprofessional"
    assert not EmploymentEvent.objects.exists()


def test_staff_page_role_change_says_what_was_recorded(world, login) -> None:
    _past_year(world)
    data = _as_teacher_form(world)
    client = login(world.users["pc"])
    response = client.post(reverse("pilot:staff-update", args=[world.para.uuid]), data, follow=True)
    assert "became a teacher of record" in response.content.decode()
    assert EmploymentEvent.objects.filter(kind="teacher_of_record").count() == 1
    # The staff page of the teacher now links to the path they took.
    page = client.get(reverse("pilot:staff-detail", args=[world.para.uuid])).content.decode()
    assert reverse("pathways:person", args=[world.para.uuid]) in page


def test_role_change_of_someone_never_paired_or_already_hired_records_nothing(world) -> None:
    _as_teacher(world, world.para_b)  # never paired: no path to record
    assert not EmploymentEvent.objects.exists()
    _past_year(world)
    services.record_employment(
        para=world.para,
        kind="teacher_of_record",
        district=world.district_a,
        school=world.school_a,
        occurred_on=date(2026, 8, 10),
        by=world.users["pc"],
    )
    assert _as_teacher(world).role_change_notes == []
    assert EmploymentEvent.objects.count() == 1


def _link(w: World, client, email: str, on: str = "2026-08-12"):
    return client.post(
        reverse("pathways:teacher-record-link", args=[w.para.uuid]),
        {"teacher": email, "linked_on": on},
    )


def test_a_teacher_record_elsewhere_follows_the_person_and_can_be_undone(world, login) -> None:
    pairing = _past_year(world)
    elsewhere = TeacherFactory(school=world.school_b, email="new.teacher@beta.test")
    client = login(world.users["pc"])
    assert _link(world, client, "NEW.teacher@beta.test").status_code == 302
    link = TeacherRecord.objects.get()
    assert (link.para, link.teacher, link.linked_on) == (
        world.para,
        elsewhere,
        date(2026, 8, 12),
    )
    hire = link.milestone
    assert (hire.kind, hire.district, hire.school) == (
        "teacher_of_record",
        world.district_b,
        world.school_b,
    )
    # The person page names the record; the teacher record's page is the person's.
    page = client.get(reverse("pathways:person", args=[world.para.uuid])).content.decode()
    assert "Teaching as" in page and reverse("pilot:staff-detail", args=[elsewhere.uuid]) in page
    redirected = client.get(reverse("pathways:person", args=[elsewhere.uuid]))
    assert redirected.url == reverse("pathways:person", args=[world.para.uuid])
    # The new district's coordinator follows them there.
    dc_b = login(world.users["dc_other"])
    assert dc_b.get(reverse("pathways:person", args=[world.para.uuid])).status_code == 200
    client = login(world.users["pc"])
    hired = {p.cohort_id: p.hired_on for p in pipeline.people(Staff.objects.all())}
    assert hired == {pairing.cohort_id: date(2026, 8, 12)}
    # Undone: the link and the milestone it recorded go; their history stays.
    undo = client.post(reverse("pathways:teacher-record-unlink", args=[world.para.uuid]))
    assert undo.status_code == 302
    assert not TeacherRecord.objects.exists() and not EmploymentEvent.objects.exists()
    assert TeacherRecord.history.filter(history_type="-").count() == 1
    assert TeacherRecord.history.filter(history_type="+").count() == 1
    dc_b = login(world.users["dc_other"])
    assert dc_b.get(reverse("pathways:person", args=[world.para.uuid])).status_code == 404


def test_link_refuses_bad_input_on_the_field(world, login) -> None:
    _past_year(world)
    dc = login(world.users["dc_own"])
    # Another district's teacher record is not one the district coordinator may name.
    TeacherFactory(school=world.school_b, email="elsewhere@beta.test")
    text = _link(world, dc, "elsewhere@beta.test").content.decode()
    assert "No teacher record of yours has that email." in text
    text = _link(world, dc, world.para_b.email).content.decode()
    assert "No teacher record of yours has that email." in text  # para_b is in B
    mine = TeacherFactory(school=world.school_a, email="mine@alpha.test")
    text = _link(world, dc, mine.email, on="2024-01-10").content.decode()
    assert "The date is before" in text
    text = _link(world, dc, world.para.email).content.decode()
    assert "That is this person&#x27;s own record." in text
    assert not TeacherRecord.objects.exists() and not EmploymentEvent.objects.exists()
    assert _link(world, dc, mine.email).status_code == 302
    other = TeacherFactory(school=world.school_a, email="second@alpha.test")
    text = _link(world, dc, other.email).content.decode()
    assert "is already linked to a teacher record." in text


def test_district_rule_is_set_by_its_coordinators(world, login) -> None:
    url = reverse("pathways:district-rule", args=[world.district_a.slug])
    dc = login(world.users["dc_own"])
    assert (
        "Pathway rule"
        in dc.get(reverse("pilot:district-detail", args=[world.district_a.slug])).content.decode()
    )
    assert dc.post(url, {"credential_before_teaching": "on"}).status_code == 302
    rule = DistrictRule.objects.get()
    assert rule.credential_before_teaching and rule.changed_by == world.users["dc_own"]
    assert services.requires_credential(world.district_a)
    assert not services.requires_credential(world.district_b)
    assert login(world.users["dc_other"]).get(url).status_code == 404
    response = login(world.users["pc"]).post(url, {})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert not services.requires_credential(world.district_a)
    assert DistrictRule.history.count() == 2
