"""Bad input on the foundation's forms: a message on the field, and nothing written."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pilot.models import Cohort, District, School, Staff
from pilot.services import program
from tests.factories import CohortFactory, DistrictFactory

pytestmark = pytest.mark.django_db


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


def test_cohort_end_before_start(world, login) -> None:
    client = login(world.users["pc"])
    before = Cohort.objects.count()
    response = client.post(
        reverse("pilot:cohort-create"),
        {
            "name": "Backwards",
            "starts_on": "2027-06-01",
            "ends_on": "2026-08-01",
            "status": "planning",
        },
    )
    assert response.status_code == 200
    assert field_errors(response, "ends_on") == ["The end date must be after the start date."]
    assert Cohort.objects.count() == before


def test_district_duplicate_slug_and_bad_state(world, login) -> None:
    client = login(world.users["pc"])
    response = client.post(
        reverse("pilot:district-create"), {"name": "Again", "slug": "alpha", "state": "Iowa"}
    )
    assert field_errors(response, "slug") == ["Another district already uses this slug."]
    assert field_errors(response, "state")
    assert District.objects.count() == 2


def test_school_duplicate_name_in_district(world, login) -> None:
    client = login(world.users["dc_own"])
    response = client.post(
        reverse("pilot:school-create", args=["alpha"]),
        {"name": "alpha elementary", "grade_band": "elementary", "support_model": "para_led"},
    )
    assert field_errors(response, "name") == ["This district already has a school with that name."]
    assert School.objects.filter(district=world.district_a).count() == 1


def staff_data(world, **overrides) -> dict:
    data = {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": "rosa@alpha.test",
        "role": "paraprofessional",
        "district": world.district_a.pk,
        "school": world.school_a.pk,
        "employee_id": "NEW-1",
    }
    return {**data, **overrides}


def test_staff_school_from_another_district(world, login) -> None:
    client = login(world.users["pc"])
    response = client.post(
        reverse("pilot:staff-create"), staff_data(world, school=world.school_b.pk)
    )
    assert field_errors(response, "school") == ["Beta Elementary is not in Alpha District."]
    assert not Staff.objects.filter(email="rosa@alpha.test").exists()


def test_staff_email_and_employee_id_taken(world, login) -> None:
    client = login(world.users["pc"])
    response = client.post(
        reverse("pilot:staff-create"),
        staff_data(world, email=world.para.email.upper(), employee_id=world.para.employee_id),
    )
    assert field_errors(response, "email") == [
        f"{world.para.email} is used by another person in Alpha District: "
        f"{world.para.full_name} (employee id {world.para.employee_id})."
    ]
    assert field_errors(response, "employee_id") == [
        f"Employee id {world.para.employee_id} belongs to another person in Alpha District: "
        f"{world.para.full_name} <{world.para.email}>."
    ]
    assert Staff.objects.filter(district=world.district_a).count() == 2


def test_district_coordinator_cannot_pick_another_districts_school(world, login) -> None:
    client = login(world.users["dc_own"])
    response = client.post(
        reverse("pilot:staff-create"),
        staff_data(world, district=world.district_b.pk, school=world.school_b.pk),
    )
    assert "Select a valid choice" in field_errors(response, "district")[0]
    assert "Select a valid choice" in field_errors(response, "school")[0]
    assert not Staff.objects.filter(email="rosa@alpha.test").exists()


def test_staff_created_and_invited(
    world, login, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = login(world.users["dc_own"])
    response = client.post(reverse("pilot:staff-create"), staff_data(world))
    member = Staff.objects.get(email="rosa@alpha.test")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after commit
        client.post(reverse("pilot:staff-invite", args=[member.uuid]))
    member.refresh_from_db()
    assert member.user is not None and not member.user.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@alpha.test"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_enrollment_date_outside_cohort(world, login) -> None:
    client = login(world.users["pc"])
    world.enrollment_a.delete()
    response = client.post(
        reverse("pilot:cohort-enroll", args=[world.cohort.uuid]),
        {"districts": [world.district_a.pk], "enrolled_on": "2020-01-01"},
    )
    assert field_errors(response, "enrolled_on")[0].startswith("Choose a date within the cohort")
    assert not world.cohort.enrollments.filter(district=world.district_a).exists()


def test_enrollment_date_of_a_future_cohort_defaults_to_its_first_day(world, login) -> None:
    future = Cohort.objects.create(
        name="Next year", starts_on=date(2099, 8, 1), ends_on=date(2100, 6, 30)
    )
    response = login(world.users["pc"]).get(reverse("pilot:cohort-enroll", args=[future.uuid]))
    assert 'name="enrolled_on" value="2099-08-01"' in response.content.decode()


def test_withdraw_asks_first_then_reenroll(world, login) -> None:
    client = login(world.users["pc"])
    url = reverse("pilot:cohort-withdraw", args=[world.enrollment_a.uuid])
    page = client.get(url)
    assert "Withdraw Alpha District from" in page.content.decode()
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.withdrawn_on is None
    client.post(url)
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.withdrawn_on is not None
    client.post(
        reverse("pilot:cohort-enroll", args=[world.cohort.uuid]),
        {"districts": [world.district_a.pk], "enrolled_on": "2026-09-01"},
    )
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.withdrawn_on is None
    assert str(world.enrollment_a.enrolled_on) == "2026-09-01"


def test_closed_cohort_keeps_its_districts(world, login) -> None:
    world.cohort.status = "closed"
    world.cohort.save()
    client = login(world.users["pc"])
    response = client.post(
        reverse("pilot:cohort-withdraw", args=[world.enrollment_a.uuid]), follow=True
    )
    assert "is closed" in response.content.decode()
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.withdrawn_on is None
    response = client.get(reverse("pilot:cohort-enroll", args=[world.cohort.uuid]), follow=True)
    assert "is closed" in response.content.decode()


def test_enroll_many_districts_at_once_all_or_none(world, login) -> None:
    gamma = DistrictFactory(name="Gamma", slug="gamma")
    delta = DistrictFactory(name="Delta", slug="delta")
    cohort = CohortFactory(name="Next Pilot")
    client = login(world.users["pc"])
    url = reverse("pilot:cohort-enroll", args=[cohort.uuid])
    page = client.get(url)
    # Today when inside the cohort, else its nearer end: always a date the cohort takes.
    initial = page.context["form"]["enrolled_on"].initial
    assert cohort.starts_on <= initial <= cohort.ends_on
    response = client.post(
        url, {"districts": [gamma.pk, delta.pk], "enrolled_on": cohort.starts_on.isoformat()}
    )
    assert response.status_code == 302
    assert set(cohort.enrollments.values_list("district__slug", flat=True)) == {"gamma", "delta"}
    # A refused district (here: one that is already enrolled, sent by a stale page) writes
    # nothing for the others either.
    other = CohortFactory(name="Other Pilot")
    program.enroll_district(cohort=other, district=delta, enrolled_on=other.starts_on)
    with pytest.raises(ValidationError) as refused:
        program.enroll_districts(
            cohort=other, districts=[gamma, delta], enrolled_on=other.starts_on
        )
    assert refused.value.message_dict["districts"] == [f"Delta is already enrolled in {other}."]
    assert list(other.enrollments.values_list("district__slug", flat=True)) == ["delta"]


def test_staff_and_school_radio_groups_offer_no_blank_choice(world, login) -> None:
    client = login(world.users["pc"])
    for url in (
        reverse("pilot:staff-create"),
        reverse("pilot:school-create", args=[world.district_a.slug]),
    ):
        page = client.get(url).content.decode()
        radios = re.findall(r'<input type="radio"[^>]*>', page)
        assert radios, url
        assert not [r for r in radios if 'value=""' in r], url


def _district_values(district: District, **changes: str) -> dict:
    values = {"name": district.name, "slug": district.slug, "state": district.state}
    return {**values, **changes}


def test_district_sign_in_domains_are_plain_domain_names(world, login) -> None:
    client = login(world.users["pc"])
    url = reverse("pilot:district-update", args=[world.district_a.slug])
    bad = "alpha.k12.ia.us, dana@alpha.test *.alpha.test localhost"
    response = client.post(url, _district_values(world.district_a, sign_in_domains=bad))
    assert response.status_code == 200
    (message,) = field_errors(response, "sign_in_domains")
    assert "Not a plain domain name: dana@alpha.test, *.alpha.test, localhost." in message
    world.district_a.refresh_from_db()
    assert world.district_a.sign_in_domains == ""


def test_district_sign_in_domains_are_saved_lowercased_once_each(world, login) -> None:
    client = login(world.users["pc"])
    url = reverse("pilot:district-update", args=[world.district_a.slug])
    typed = "Alpha.K12.IA.us;  staff.alpha.test\nalpha.k12.ia.us"
    response = client.post(url, _district_values(world.district_a, sign_in_domains=typed))
    assert response.status_code == 302
    world.district_a.refresh_from_db()
    assert world.district_a.sign_in_domains == "alpha.k12.ia.us, staff.alpha.test"
    page = client.get(reverse("pilot:district-detail", args=[world.district_a.slug])).text
    assert "alpha.k12.ia.us, staff.alpha.test" in page


def test_only_the_program_coordinator_sets_sign_in_domains(world, login) -> None:
    client = login(world.users["dc_own"])
    url = reverse("pilot:district-update", args=[world.district_a.slug])
    assert 'name="sign_in_domains"' not in client.get(url).text
    assert 'name="sign_in_domains"' in login(world.users["pc"]).get(url).text
    values = _district_values(world.district_a, sign_in_domains="evil.test")
    assert login(world.users["dc_own"]).post(url, values).status_code == 302
    world.district_a.refresh_from_db()
    assert world.district_a.sign_in_domains == ""
