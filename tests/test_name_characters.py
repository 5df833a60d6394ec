"""Names refuse invisible and direction-changing characters (U+202E and the like), with a
message on the field or import column that holds one, and nothing stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coursework.forms import BlockForm
from coursework.models import Course
from observations.forms import RubricPublishForm
from observations.queries import rubric_outline
from pilot.forms import RoleAssignmentForm
from pilot.models import Cohort, District, School, Staff
from pilot.validators import no_invisible_controls

from .factories import CourseFactory, current_rubric
from .test_forms_core import staff_data
from .test_imports import SCHOOLS_HEADER, STAFF_HEADER, csv_upload, outcomes, staff_line, upload

pytestmark = pytest.mark.django_db

HIDDEN = {
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u200f": "U+200F RIGHT-TO-LEFT MARK",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
}


def message(*names: str) -> str:
    if len(names) == 1:
        return (
            f"This contains a hidden character ({names[0]}) that is invisible or changes the "
            "direction of the text, so it would read differently from what is stored. "
            "Remove it."
        )
    return (
        f"This contains hidden characters ({', '.join(names)}) that are invisible or change "
        "the direction of the text, so it would read differently from what is stored. "
        "Remove them."
    )


def test_names_in_any_script_pass() -> None:
    for name in ("José Núñez", "Nguyễn Thị Minh", "O'Brien-Smith", "محمد علي", "李小龍", "Zoë"):
        no_invisible_controls(name)


def test_every_hidden_character_is_named() -> None:
    with pytest.raises(ValidationError) as refused:
        no_invisible_controls("Ann\u202eA\u200bB\u202e")
    assert refused.value.messages == [
        message("U+202E RIGHT-TO-LEFT OVERRIDE", "U+200B ZERO WIDTH SPACE")
    ]


# Each form that names a person, district, school, cohort or course: who posts it, where,
# a valid post, the field holding the name, and whether the record was stored.
NAME_FORMS = {
    "staff first name": (
        "pc",
        lambda w: reverse("pilot:staff-create"),
        lambda w: staff_data(w),
        "first_name",
        lambda: Staff.objects.filter(email="rosa@alpha.test").exists(),
    ),
    "staff last name": (
        "dc_own",
        lambda w: reverse("pilot:staff-update", args=[w.para.uuid]),
        lambda w: staff_data(w, email=w.para.email, employee_id=w.para.employee_id),
        "last_name",
        # The world's made-up names may include a Diaz; only the posted one counts.
        lambda: Staff.objects.filter(last_name__regex=r"^Diaz.+Ana$").exists(),
    ),
    "district": (
        "pc",
        lambda w: reverse("pilot:district-create"),
        lambda w: {"slug": "gamma", "state": "IA"},
        "name",
        lambda: District.objects.filter(slug="gamma").exists(),
    ),
    "district contact": (
        "pc",
        lambda w: reverse("pilot:district-create"),
        lambda w: {"name": "Gamma District", "slug": "gamma", "state": "IA"},
        "contact_name",
        lambda: District.objects.filter(slug="gamma").exists(),
    ),
    "school": (
        "dc_own",
        lambda w: reverse("pilot:school-create", args=["alpha"]),
        lambda w: {"grade_band": "elementary", "support_model": "para_led"},
        "name",
        lambda: School.objects.count() > 2,
    ),
    "cohort": (
        "pc",
        lambda w: reverse("pilot:cohort-create"),
        lambda w: {"starts_on": "2027-08-01", "ends_on": "2028-06-01", "status": "planning"},
        "name",
        lambda: Cohort.objects.count() > 1,
    ),
    "course title": (
        "liaison",
        lambda w: reverse("coursework:course-create"),
        lambda w: {
            "college": w.college.pk,
            "code": "EDU 199",
            "credit_hours": "3",
            "delivery": "online",
        },
        "title",
        lambda: Course.objects.exists(),
    ),
}


@pytest.mark.parametrize("char", HIDDEN)
@pytest.mark.parametrize("form", NAME_FORMS)
def test_a_hidden_character_in_a_name_is_refused(form, char, world, login) -> None:
    persona, url, data, field, stored = NAME_FORMS[form]
    client = login(world.users[persona])
    response = client.post(url(world), {**data(world), field: f"Diaz{char}Ana"})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message(HIDDEN[char])]
    assert not stored()


def test_forms_that_are_not_model_forms_refuse_them_too(world) -> None:
    block = BlockForm(
        {"name": "Core\u202e", "credits_required": "3", "order": "0"}, courses=Course.objects.none()
    )
    assert block.errors["name"] == [message(HIDDEN["\u202e"])]
    role = RoleAssignmentForm(
        {"email": "new@x.test", "full_name": "Pat\u200bLee", "role": "program_coordinator"}
    )
    assert role.errors["full_name"] == [message(HIDDEN["\u200b"])]
    rubric = RubricPublishForm({"title": "\u2066Rubric"}, domains=rubric_outline(current_rubric()))
    assert rubric.errors["title"] == [message(HIDDEN["\u2066"])]


def test_course_title_checked_when_edited(world, login) -> None:
    course = CourseFactory(college=world.college, title="Reading Foundations")
    client = login(world.users["liaison"])
    response = client.post(
        reverse("coursework:course-update", args=[course.uuid]),
        {
            "college": world.college.pk,
            "code": course.code,
            "title": "Reading\u202e Foundations",
            "credit_hours": "3",
            "delivery": "online",
        },
    )
    assert response.context["form"].errors["title"] == [message(HIDDEN["\u202e"])]
    course.refresh_from_db()
    assert course.title == "Reading Foundations"


def test_staff_import_refuses_a_hidden_character_in_the_row(world, login) -> None:
    client = login(world.users["pc"])
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line("alpha", "Alpha Elementary", "teacher", "Ann", "Lee", "ann@a.test"),
                staff_line(
                    "alpha", "Alpha Elementary", "teacher", "Bo\u202e", "Ng\u200b", "bo@a.test"
                ),
            ]
        ),
    )
    assert outcomes(run)[3]["errors"] == [
        ["first name", message(HIDDEN["\u202e"])],
        ["last name", message(HIDDEN["\u200b"])],
    ]
    assert not outcomes(run)[2]["errors"]
    assert not run.can_confirm
    assert not Staff.objects.filter(email__in=["ann@a.test", "bo@a.test"]).exists()


def test_district_and_school_import_refuses_a_hidden_character(world, login) -> None:
    client = login(world.users["pc"])
    run = upload(
        client,
        "districts-schools",
        csv_upload(
            [
                SCHOOLS_HEADER,
                "Gamma\u2066 District,IA,Gamma Elementary,elementary,para_led",
                "alpha,,Alpha\u200f Middle,middle,teacher_led",
            ],
            name="schools.csv",
        ),
    )
    assert outcomes(run)[2]["errors"] == [["district", message(HIDDEN["\u2066"])]]
    assert outcomes(run)[3]["errors"] == [["school name", message(HIDDEN["\u200f"])]]
    assert not run.can_confirm
    assert not District.objects.filter(slug="gamma").exists()
