"""The liaison's catalog and degree plan forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coursework.models import BlockCourse, Course, DegreePlan, Offering
from tests.factories import CourseFactory, DegreePlanFactory, RequirementBlockFactory

pytestmark = pytest.mark.django_db


def block_data(blocks, initial=0):
    data = {
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(initial),
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    for i, block in enumerate(blocks):
        for key, value in block.items():
            data[f"blocks-{i}-{key}"] = value
    return data


def plan_data(world, total, blocks, initial=0, name="Paraeducator Certificate"):
    return {
        "college": world.college.pk,
        "name": name,
        "kind": "certificate",
        "total_credits": total,
        **block_data(blocks, initial),
    }


@pytest.fixture
def courses(world):
    return [CourseFactory(college=world.college, code=f"EDU {n}") for n in (110, 120, 130)]


def test_liaison_creates_a_plan_with_blocks(world, login, courses):
    client = login(world.users["liaison"])
    response = client.post(
        reverse("coursework:plan-create"),
        plan_data(
            world,
            "12",
            [
                {"name": "Core", "credits_required": "6", "order": "1",
                 "courses": [courses[0].pk, courses[1].pk]},
                {"name": "Electives", "credits_required": "6", "order": "2", "is_open": "on"},
                {"name": "", "credits_required": "", "order": "0"},  # the empty extra block
            ],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    plan = DegreePlan.objects.get(name="Paraeducator Certificate")
    assert [(b.name, b.credits_required, b.is_open) for b in plan.blocks.order_by("order")] == [
        ("Core", Decimal("6.0"), False),
        ("Electives", Decimal("6.0"), True),
    ]
    assert set(BlockCourse.objects.filter(plan=plan).values_list("course__code", flat=True)) == {
        "EDU 110",
        "EDU 120",
    }


def test_a_course_in_two_blocks_is_refused(world, login, courses):
    client = login(world.users["liaison"])
    response = client.post(
        reverse("coursework:plan-create"),
        plan_data(
            world,
            "6",
            [
                {"name": "Core", "credits_required": "3", "order": "1", "courses": [courses[0].pk]},
                {"name": "More", "credits_required": "3", "order": "2", "courses": [courses[0].pk]},
            ],
        ),
    )
    assert response.status_code == 200
    assert "EDU 110 already counts toward “Core”" in response.content.decode()
    assert not DegreePlan.objects.exists()


def test_blocks_must_add_up_to_the_total(world, login, courses):
    response = login(world.users["liaison"]).post(
        reverse("coursework:plan-create"),
        plan_data(world, "60", [{"name": "Core", "credits_required": "6", "order": "1"}]),
    )
    assert response.status_code == 200
    assert "The requirement blocks add up to 6 credits" in response.content.decode()
    assert not DegreePlan.objects.exists()


def test_moving_a_course_between_blocks_and_deleting_a_block(world, login, courses):
    plan = DegreePlanFactory(college=world.college, total_credits=Decimal("9"))
    core = RequirementBlockFactory(
        plan=plan, name="Core", credits_required=Decimal(3), order=1, courses=[courses[0]]
    )
    extra = RequirementBlockFactory(
        plan=plan, name="Extra", credits_required=Decimal(3), order=2, courses=[courses[1]]
    )
    RequirementBlockFactory(plan=plan, name="Gone", credits_required=Decimal(3), order=3)
    response = login(world.users["liaison"]).post(
        reverse("coursework:plan-update", args=[plan.uuid]),
        plan_data(
            world,
            "6",
            [
                {"name": "Core", "credits_required": "3", "order": "1", "courses": [courses[1].pk]},
                {
                    "name": "Extra",
                    "credits_required": "3",
                    "order": "2",
                    "courses": [courses[0].pk],
                },
                {"name": "Gone", "credits_required": "3", "order": "3", "DELETE": "on"},
            ],
            initial=3,
            name=plan.name,
        ),
    )
    assert response.status_code == 302
    assert [b.name for b in plan.blocks.all()] == ["Core", "Extra"]
    assert list(core.courses.values_list("code", flat=True)) == ["EDU 120"]
    assert list(extra.courses.values_list("code", flat=True)) == ["EDU 110"]


def test_plan_of_another_college_cannot_be_edited(world, login):
    plan = DegreePlanFactory()
    response = login(world.users["liaison"]).get(
        reverse("coursework:plan-update", args=[plan.uuid])
    )
    assert response.status_code == 404


def test_liaison_adds_a_course_with_its_pilot_questions(world, login):
    client = login(world.users["liaison"])
    data = {
        "college": world.college.pk,
        "code": " edu  135 ",
        "title": "Math Intervention for Small Groups",
        "credit_hours": "1.5",
        "delivery": "in_person",
        "domains": ["classroom_support", "classroom_management"],
    }
    response = client.post(reverse("coursework:course-create"), data)
    assert response.status_code == 302
    course = Course.objects.get(code="EDU 135")
    assert course.credit_hours == Decimal("1.5")
    assert sorted(course.target_domains.values_list("domain", flat=True)) == [
        "classroom_management",
        "classroom_support",
    ]
    response = client.post(reverse("coursework:course-create"), {**data, "credit_hours": "0"})
    assert response.status_code == 200
    assert "This college already has a course with that code." in response.content.decode()
    assert "Credit hours must be at least 0.5." in response.content.decode()


def test_liaison_cannot_add_a_course_to_another_college(world, login):
    other = CourseFactory().college
    response = login(world.users["liaison"]).post(
        reverse("coursework:course-create"),
        {
            "college": other.pk,
            "code": "X 1",
            "title": "X",
            "credit_hours": "3",
            "delivery": "online",
        },
    )
    assert response.status_code == 200
    assert not Course.objects.filter(code="X 1").exists()


def test_offering_dates_and_course_choices(world, login):
    mine = CourseFactory(college=world.college)
    theirs = CourseFactory()
    client = login(world.users["liaison"])
    base = {"cohort": world.cohort.pk, "term": "Fall 2026", "section": "01", "instructor": "Dr. K"}
    response = client.post(
        reverse("coursework:offering-create"),
        {**base, "course": mine.pk, "starts_on": "2026-12-01", "ends_on": "2026-09-01"},
    )
    assert "The end date cannot be before the start date." in response.content.decode()
    response = client.post(
        reverse("coursework:offering-create"),
        {**base, "course": theirs.pk, "starts_on": "2026-09-01", "ends_on": "2026-12-01"},
    )
    assert response.status_code == 200
    assert not Offering.objects.exists()
    response = client.post(
        reverse("coursework:offering-create"),
        {**base, "course": mine.pk, "starts_on": "2026-09-01", "ends_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert Offering.objects.get().course == mine


def test_a_section_is_offered_once_per_term(world, login):
    course = CourseFactory(college=world.college)
    data = {
        "course": course.pk,
        "cohort": world.cohort.pk,
        "term": "Fall 2026",
        "section": "01",
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-01",
    }
    client = login(world.users["liaison"])
    assert client.post(reverse("coursework:offering-create"), data).status_code == 302
    response = client.post(reverse("coursework:offering-create"), data)
    assert "This section of the course is already offered then." in response.content.decode()
    assert (
        client.post(reverse("coursework:offering-create"), {**data, "section": "02"}).status_code
        == 302
    )
    assert Offering.objects.count() == 2


def test_the_services_refusal_is_shown_next_to_its_field(world, login, courses):
    """The total rule lives in ``save_plan``: the form passes, the service refuses, and its
    message sits on the total field."""
    response = login(world.users["liaison"]).post(
        reverse("coursework:plan-create"),
        plan_data(world, "60", [{"name": "Core", "credits_required": "6", "order": "1"}]),
    )
    assert response.context["form"].errors["total_credits"] == [
        "The requirement blocks add up to 6 credits: make the total match."
    ]
    course_form = login(world.users["liaison"]).post(
        reverse("coursework:course-create"),
        {"college": world.college.pk, "code": courses[0].code.lower(), "title": "Twin",
         "credit_hours": "3", "delivery": "online"},
    ).context["form"]  # fmt: skip
    assert course_form.errors["code"] == ["This college already has a course with that code."]


def test_the_services_block_rules_are_shown_next_to_each_block(world, login, courses):
    """The rules across blocks live in ``save_plan``: each message sits on the block and
    field it is about, or above the blocks; shown with the plan's own errors too."""
    client = login(world.users["liaison"])
    core = {"name": "Core", "credits_required": "3", "order": "1", "courses": [courses[0].pk]}
    twin = {"name": "CORE", "credits_required": "3", "order": "2", "courses": [courses[0].pk]}
    response = client.post(reverse("coursework:plan-create"), plan_data(world, "6", [core, twin]))
    first, second = response.context["formset"].forms
    assert first.errors == {}
    assert second.errors == {
        "name": ["Two blocks of a plan cannot share a name."],
        "courses": ["EDU 110 already counts toward “Core”: a course counts toward a plan once."],
    }
    # With a plan field wrong as well, both are shown at once.
    response = client.post(
        reverse("coursework:plan-create"), {**plan_data(world, "6", [core, twin]), "name": ""}
    )
    assert "name" in response.context["form"].errors
    assert response.context["formset"].forms[1].errors["name"] == [
        "Two blocks of a plan cannot share a name."
    ]
    gone = {**core, "DELETE": "on"}
    response = client.post(reverse("coursework:plan-create"), plan_data(world, "3", [gone]))
    assert response.context["formset"].non_form_errors() == [
        "A plan needs at least one requirement block."
    ]
    assert "A plan needs at least one requirement block." in response.content.decode()
    assert not DegreePlan.objects.exists()


def test_radio_groups_offer_no_blank_choice_and_modules_say_how_they_are_delivered(world, login):
    from tests.factories import OfferingFactory

    offering = OfferingFactory(course=CourseFactory(college=world.college), cohort=world.cohort)
    client = login(world.users["liaison"])
    course_page = client.get(reverse("coursework:course-create")).content.decode()
    module_page = client.get(
        reverse("coursework:module-create", args=[offering.uuid])
    ).content.decode()
    for page in (course_page, module_page):
        assert 'type="radio"' in page
        assert "---------" not in page
    assert "How it is delivered" in module_page
    assert "Done" not in module_page
    # The field stays required: leaving the group unticked is refused next to it.
    response = client.post(
        reverse("coursework:module-create", args=[offering.uuid]), {"title": "Unit 1", "order": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
