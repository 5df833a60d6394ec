"""The core's services, called directly: each rule refuses with its message on its field,
and nothing is written when refused."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from pilot.forms import CohortForm
from pilot.forms.errors import add_service_errors
from pilot.imports.resources import refusal_in_columns
from pilot.models import AuditEntry, Cohort, District, RoleAssignment, School, Staff, User
from pilot.services import program
from pilot.services.lockouts import unlock_sign_in
from pilot.services.roles import grant_role, revoke_role
from pilot.services.staff import create_staff, set_staff_active, update_staff

pytestmark = pytest.mark.django_db


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# ---- cohorts and enrollments --------------------------------------------------------


def test_cohort_dates_and_name(world) -> None:
    errors = refusal(
        lambda: program.create_cohort(
            name=world.cohort.name,
            starts_on=date(2027, 6, 1),
            ends_on=date(2027, 6, 1),
            status="planning",
        )
    )
    assert errors == {
        "ends_on": ["The end date must be after the start date."],
        "name": ["Another cohort already has this name."],
    }
    assert Cohort.objects.count() == 1


def test_cohort_update_keeps_its_own_name(world) -> None:
    cohort = world.cohort
    program.update_cohort(
        cohort=cohort,
        name=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        status="active",
    )
    cohort.refresh_from_db()
    assert cohort.status == "active"


def test_enrollment_date_within_the_cohort_and_not_twice(world) -> None:
    cohort = world.cohort
    errors = refusal(
        lambda: program.enroll_district(
            cohort=cohort, district=world.district_a, enrolled_on=date(2020, 1, 1)
        )
    )
    assert errors["enrolled_on"][0].startswith("Choose a date within the cohort (")
    assert errors["district"] == [f"Alpha District is already enrolled in {cohort}."]


def test_withdrawn_district_is_enrolled_again_on_its_row(world) -> None:
    enrollment = program.withdraw_district(enrollment=world.enrollment_a)
    assert enrollment.withdrawn_on is not None
    with pytest.raises(ValidationError, match="already withdrawn"):
        program.withdraw_district(enrollment=enrollment)
    again = program.enroll_district(
        cohort=world.cohort, district=world.district_a, enrolled_on=world.cohort.starts_on
    )
    assert again.pk == enrollment.pk and again.withdrawn_on is None


def test_closed_cohort_keeps_its_districts(world) -> None:
    world.cohort.status = Cohort.Status.CLOSED
    world.cohort.save()
    closed = f"{world.cohort} is closed: its records can no longer change."
    with pytest.raises(ValidationError, match=closed):
        program.withdraw_district(enrollment=world.enrollment_a)
    gamma = program.create_district(name="Gamma", slug="gamma", state="IA")
    with pytest.raises(ValidationError, match=closed):
        program.enroll_district(
            cohort=world.cohort, district=gamma, enrolled_on=world.cohort.starts_on
        )
    world.enrollment_a.refresh_from_db()
    assert world.enrollment_a.withdrawn_on is None


# ---- districts and schools -----------------------------------------------------------


def test_district_slug_nces_id_and_state(world) -> None:
    program.update_district(
        district=world.district_b, name="Beta District", slug="beta", state="IA", nces_id="1900001"
    )
    errors = refusal(
        lambda: program.create_district(name="Again", slug="alpha", state="Iowa", nces_id="1900001")
    )
    assert errors["slug"] == ["Another district already uses this slug."]
    assert errors["nces_id"] == ["Another district already has this NCES id."]
    assert errors["state"]
    assert District.objects.count() == 2


def test_district_update_changes_only_what_is_given(world) -> None:
    district = world.district_a
    district.contact_name = "Pat Doe"
    district.save()
    program.update_district(district=district, name="Alpha Schools", slug="alpha", state="ia")
    district.refresh_from_db()
    assert (district.name, district.state, district.contact_name) == (
        "Alpha Schools",
        "IA",
        "Pat Doe",
    )


def test_school_name_once_per_district_in_any_case(world) -> None:
    errors = refusal(
        lambda: program.create_school(
            district=world.district_a,
            name=" alpha ELEMENTARY ",
            grade_band="elementary",
            support_model="para_led",
        )
    )
    assert errors == {"name": ["This district already has a school with that name."]}
    # Another district may have a school of that name.
    program.create_school(
        district=world.district_b,
        name="Alpha Elementary",
        grade_band="elementary",
        support_model="para_led",
    )
    assert School.objects.filter(name="Alpha Elementary").count() == 2


# ---- staff ----------------------------------------------------------------------------


def staff_fields(world, **overrides) -> dict:
    fields = {
        "first_name": "Rosa",
        "last_name": "Diaz",
        "email": " Rosa@Alpha.test ",
        "role": "paraprofessional",
        "district": world.district_a,
        "school": world.school_a,
        "employee_id": "NEW-1",
    }
    return {**fields, **overrides}


def test_staff_rules_each_on_its_field(world) -> None:
    para = world.para
    errors = refusal(
        lambda: create_staff(
            **staff_fields(
                world, school=world.school_b, email=para.email.upper(), employee_id=para.employee_id
            ),
            asked_by=world.users["pc"],
        )
    )
    assert errors["school"] == ["Beta Elementary is not in Alpha District."]
    assert errors["email"][0].startswith(f"{para.email} is used by another person in Alpha")
    assert errors["employee_id"] == [
        f"Employee id {para.employee_id} belongs to another person in Alpha District: "
        f"{para.full_name} <{para.email}>."
    ]
    assert not Staff.objects.filter(first_name="Rosa").exists()


def test_staff_email_owner_outside_the_askers_districts_is_not_named(world) -> None:
    errors = refusal(
        lambda: create_staff(
            **staff_fields(world, email=world.para_b.email), asked_by=world.users["dc_own"]
        )
    )
    assert errors["email"] == [
        f"{world.para_b.email} is used by a staff member in a district outside yours. Check "
        "the address, or ask the program coordinator."
    ]


def test_staff_created_lower_case_and_updated_keeping_their_own_email(world) -> None:
    member = create_staff(**staff_fields(world), asked_by=world.users["dc_own"])
    assert member.email == "rosa@alpha.test" and member.is_active
    update_staff(
        staff=member,
        **staff_fields(world, last_name="Diaz-Lee", email="rosa@alpha.test"),
        asked_by=world.users["dc_own"],
    )
    member.refresh_from_db()
    assert member.last_name == "Diaz-Lee"


def test_deactivating_staff_deactivates_a_sign_in_that_is_theirs_alone(world) -> None:
    set_staff_active(staff=world.para, active=False)
    world.para.user.refresh_from_db()
    assert not world.para.user.is_active
    RoleAssignment.objects.create(
        user=world.teacher.user, role="district_coordinator", district=world.district_a
    )
    message = set_staff_active(staff=world.teacher, active=False)
    world.teacher.user.refresh_from_db()
    assert world.teacher.user.is_active
    assert "left as it is" in message


# ---- roles ----------------------------------------------------------------------------


def test_grant_role_needs_its_scope_and_is_not_granted_twice(world) -> None:
    pc = world.users["pc"]
    errors = refusal(lambda: grant_role(email="x@x.test", role="college_liaison", granted_by=pc))
    assert errors == {"college": ["Choose the college this liaison works for."]}
    errors = refusal(
        lambda: grant_role(email="x@x.test", role="district_coordinator", granted_by=pc)
    )
    assert errors == {"district": ["Choose the district this coordinator works for."]}
    errors = refusal(
        lambda: grant_role(
            email="DC-OWN@example.test",
            role="district_coordinator",
            district=world.district_a,
            granted_by=pc,
        )
    )
    assert errors == {"email": ["This person already has that role."]}
    assert not User.objects.filter(email="x@x.test").exists()


def test_grant_role_makes_the_account_keeps_only_the_roles_scope_and_logs(world) -> None:
    pc = world.users["pc"]
    assignment = grant_role(
        email="New.PC@Example.test",
        full_name="New Coordinator",
        role="program_coordinator",
        district=world.district_a,  # not a program coordinator's: dropped
        granted_by=pc,
    )
    assert assignment.district is None and assignment.granted_by == pc
    assert assignment.user.email == "new.pc@example.test"
    assert not assignment.user.has_usable_password()
    assert AuditEntry.objects.filter(action="role_change", subject__startswith="granted").exists()


def test_nobody_revokes_their_own_program_coordinator_role(world) -> None:
    pc = world.users["pc"]
    own = pc.role_assignments.get()
    with pytest.raises(ValidationError, match="You cannot remove your own program coordinator"):
        revoke_role(assignment=own, revoked_by=pc)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    other = world.users["dc_own"].role_assignments.get()
    assert revoke_role(assignment=other, revoked_by=pc).startswith(str(world.users["dc_own"]))
    assert not RoleAssignment.objects.filter(pk=other.pk).exists()


# ---- lockouts ---------------------------------------------------------------------------


def test_unlock_needs_an_account_or_a_real_address(world) -> None:
    pc = world.users["pc"]
    with pytest.raises(ValidationError, match="Choose an account or an address"):
        unlock_sign_in(unlocked_by=pc)
    assert refusal(lambda: unlock_sign_in(unlocked_by=pc, ip_address="10.0.0.999")) == {
        "ip_address": ["That is not an address."]
    }
    assert unlock_sign_in(unlocked_by=pc, username=" Pat@X.test ") == "account pat@x.test"
    assert AuditEntry.objects.filter(action="unlock", subject="account pat@x.test").exists()


# ---- where a refusal is shown ----------------------------------------------------------


def test_a_refusal_reaches_the_form_field_and_the_file_column() -> None:
    refused = ValidationError({"ends_on": "Too early.", "elsewhere": "Not a field."})
    form = CohortForm({})
    form.is_valid()
    add_service_errors(form, refused)
    assert "Too early." in form.errors["ends_on"]
    assert form.non_field_errors() == ["Not a field."]
    with pytest.raises(ValidationError) as shown, refusal_in_columns({"name": "school name"}):
        raise ValidationError({"name": "Taken.", "district": "Other."})
    assert shown.value.message_dict == {"school name": ["Taken."], NON_FIELD_ERRORS: ["Other."]}
