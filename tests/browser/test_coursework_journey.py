"""The college liaison records final grades; the paraprofessional sees the credit appear."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coursework.models import Enrollment, PlanDeclaration
from tests.factories import (
    PASSWORD,
    CourseFactory,
    DegreePlanFactory,
    EnrollmentFactory,
    ModuleFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    RequirementBlockFactory,
    TransferCreditFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def term(world):
    """An eight-week EDU 150 that has ended, with world.para and a classmate enrolled; a
    certificate listing it, declared by world.para; a transfer credit to verify."""
    course = CourseFactory(
        college=world.college, code="EDU 150", title="Multi-Tiered Systems of Support"
    )
    offering = OfferingFactory(
        course=course,
        cohort=world.cohort,
        term="Fall 2026 (first 8 weeks)",
        starts_on=date(2026, 8, 24),
        ends_on=date(2026, 10, 16),
    )
    ModuleFactory(offering=offering, order=1, title="Tiers and teams", due_on=date(2026, 9, 1))
    EnrollmentFactory(para=world.para, offering=offering)
    classmate = EnrollmentFactory(
        para=ParaFactory(school=world.school_a, first_name="Casey", last_name="Classmate"),
        offering=offering,
    )
    plan = DegreePlanFactory(
        college=world.college, name="Paraeducator Certificate", total_credits=Decimal(6)
    )
    RequirementBlockFactory(
        plan=plan, name="Paraeducator core", credits_required=Decimal(6), courses=[course]
    )
    PlanDeclaration.objects.create(para=world.para, plan=plan, declared_on=date(2026, 8, 1))
    TransferCreditFactory(para=world.para, college=world.college, course_title="Public Speaking")
    return {"offering": offering, "classmate": classmate}


def test_liaison_grades_and_para_sees_credit(
    page: Page, live_server, world, term, sign_in, check_a11y
):
    nav = page.get_by_role("navigation", name="Main")

    # The paraprofessional starts with the course in progress.
    sign_in(page, "para@example.test", PASSWORD)
    check_a11y(page)
    nav.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.locator("#plan-overall")).to_contain_text(
        "0 of 6 credits earned (0%), 3 in progress, 3 still to plan."
    )
    check_a11y(page)
    page.context.clear_cookies()

    # The liaison finds the offering waiting for grades on their dashboard.
    sign_in(page, "liaison@example.test", PASSWORD)
    panel = page.get_by_role("region", name="Offerings waiting for grades")
    expect(panel).to_contain_text("2 enrollments without a final grade")
    check_a11y(page)
    panel.get_by_role("link", name="EDU 150 Multi-Tiered Systems of Support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Final grades for EDU 150")
    check_a11y(page)

    # A grade off the scale: nothing is saved and the row says why.
    para_name = world.para.full_name
    page.get_by_label(f"Grade for {para_name}").fill("A")
    page.get_by_label("Grade for Casey Classmate").fill("B+")
    page.get_by_role("button", name="Save all grades").click()
    expect(page.get_by_role("alert")).to_contain_text("1 row needs a correction")
    expect(page.get_by_text("“B+” is not on the scale")).to_be_visible()
    expect(page.get_by_label("Grade for Casey Classmate")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    assert set(Enrollment.objects.values_list("grade", flat=True)) == {""}

    page.get_by_label("Grade for Casey Classmate").fill("W")
    page.get_by_role("button", name="Save all grades").click()
    expect(page.get_by_role("status")).to_contain_text("2 enrollments changed")
    check_a11y(page)

    # The liaison's other pages pass axe too.
    nav.get_by_role("link", name="Transfer credit").click()
    page.get_by_role("button", name=f"Verify Public Speaking for {para_name}").click()
    expect(page.get_by_role("status")).to_contain_text("Verified: Public Speaking")
    check_a11y(page)
    for name in ("Offerings", "Students", "Courses"):
        nav.get_by_role("link", name=name).click()
        check_a11y(page)
    page.goto(f"{live_server.url}/coursework/offerings/{term['offering'].uuid}/")
    check_a11y(page)
    page.get_by_role("link", name="Enroll paraprofessionals").click()
    check_a11y(page)
    page.goto(f"{live_server.url}/coursework/plans/new/")
    check_a11y(page)
    page.context.clear_cookies()

    # The paraprofessional sees the credit (and the verified transfer credit) appear.
    sign_in(page, "para@example.test", PASSWORD)
    expect(
        page.get_by_role("region", name="Credits toward Paraeducator Certificate")
    ).to_contain_text("3 of 6 credits earned")
    nav.get_by_role("link", name="My progress").click()
    expect(page.locator("#plan-overall")).to_contain_text(
        "3 of 6 credits earned (50%), 0 in progress, 3 still to plan."
    )
    expect(page.get_by_role("cell", name="Public Speaking")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Transcript").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Transcript of {para_name}")
    expect(page.get_by_role("cell", name="Multi-Tiered Systems of Support")).to_be_visible()
    check_a11y(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    check_a11y(page)


def test_other_coursework_pages_pass_axe(page: Page, live_server, world, term, sign_in, check_a11y):
    other_plan = DegreePlanFactory(college=world.college, name="Associate of Arts")
    RequirementBlockFactory(plan=other_plan, name="Electives", is_open=True)
    offering = term["offering"]

    sign_in(page, "para@example.test", PASSWORD)
    page.goto(f"{live_server.url}/coursework/progress/")
    page.get_by_label("See the same credit under").select_option(
        label="Associate of Arts (Test Community College)"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Under Associate of Arts")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Add transfer credit").click()
    page.get_by_role("button", name="Send for verification").click()  # empty: errors shown
    check_a11y(page)
    page.context.clear_cookies()

    sign_in(page, "liaison@example.test", PASSWORD)
    for path in (
        "/coursework/courses/new/",
        f"/coursework/courses/{offering.course.uuid}/",
        f"/coursework/courses/{offering.course.uuid}/edit/",
        f"/coursework/plans/{other_plan.uuid}/",
        f"/coursework/plans/{other_plan.uuid}/edit/",
        "/coursework/offerings/new/",
        "/coursework/offerings/?show=past",
        f"/coursework/offerings/{offering.uuid}/modules/new/",
        f"/coursework/progress/{world.para.uuid}/",
    ):
        page.goto(f"{live_server.url}{path}")
        check_a11y(page)
    page.goto(f"{live_server.url}/coursework/plans/{other_plan.uuid}/edit/")
    page.get_by_label("Total credits").fill("99")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The requirement blocks add up to")).to_be_visible()
    check_a11y(page)
    page.context.clear_cookies()

    sign_in(page, "pc@example.test", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Coursework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coursework by district and cohort")
    check_a11y(page)
    page.get_by_role("link", name="See each paraprofessional's coursework").click()
    check_a11y(page)
    page.get_by_role("link", name=f"{world.para.last_name}, {world.para.first_name}").click()
    check_a11y(page)
    page.context.clear_cookies()

    # The mentor teacher reaches their paraprofessional's progress from the dashboard.
    PairingFactory(cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para)
    sign_in(page, "teacher@example.test", PASSWORD)
    panel = page.get_by_role("region", name="College credit of the paraprofessionals I mentor")
    expect(panel).to_contain_text("toward Paraeducator Certificate")
    check_a11y(page)
    panel.get_by_role("link", name=world.para.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Progress of {world.para.full_name}")
    check_a11y(page)
