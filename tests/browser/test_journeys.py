"""One journey per role through real pages, with clicks and typing only (the district
coordinator's with the keyboard alone), axe-core on every page visited, and the content
security policy watched throughout (tests/browser/conftest.py fails a test on any
violation). Each journey's data comes from the factories."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coursework.models import Enrollment, PlanDeclaration
from mentoring.models import MentoringSession, Pairing
from observations.models import Observation
from pilot.models import CohortEnrollment, Staff
from tests.factories import (
    PASSWORD,
    CourseFactory,
    DegreePlanFactory,
    DistrictFactory,
    EnrollmentFactory,
    ModuleFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    ParaFactory,
    RequirementBlockFactory,
    SchoolFactory,
    current_rubric,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_coordinator_enrolls_district_adds_school_and_staff_and_pairs_them(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    DistrictFactory(name="Gamma Schools", slug="gamma")
    sign_in(page, "pc@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    check_a11y(page)
    page.get_by_role("link", name=f"Enroll districts in {world.cohort.name}").click()
    check_a11y(page)
    page.get_by_label("Gamma Schools").check()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_role("status")).to_contain_text("Gamma Schools enrolled")
    assert CohortEnrollment.objects.filter(district__slug="gamma", cohort=world.cohort).exists()
    # Withdrawing asks first; cancelling changes nothing.
    page.get_by_role("link", name="Withdraw Gamma Schools").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw Gamma Schools from")
    check_a11y(page)
    page.get_by_role("link", name="Cancel").click()
    assert CohortEnrollment.objects.get(district__slug="gamma").withdrawn_on is None

    page.get_by_role("link", name="Gamma Schools", exact=True).click()
    check_a11y(page)
    page.get_by_role("link", name="Add a school").click()
    page.locator("#id_name").fill("Gamma Middle")
    page.get_by_label("Grade band").select_option("middle")
    page.get_by_label("Teachers take intervention").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Gamma Middle", exact=True)).to_be_visible()

    for first, role in [("Tess", "Teacher"), ("Paco", "Paraprofessional")]:
        page.get_by_role("link", name="Add staff").click()
        check_a11y(page)
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill("Gamma")
        page.get_by_label("Email").fill(f"{first.lower()}@gamma.test")
        page.get_by_label(role, exact=True).check()
        page.get_by_label("School").select_option(label="Gamma Middle (Gamma Schools)")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{first} Gamma")
        check_a11y(page)
        if first == "Tess":
            # Deactivating asks first; cancelling keeps them active.
            page.get_by_role("link", name="Deactivate").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Tess Gamma?")
            check_a11y(page)
            page.get_by_role("link", name="Cancel").click()
            assert Staff.objects.get(email="tess@gamma.test").is_active
        page.get_by_role("link", name="Gamma Schools", exact=True).click()
    assert Staff.objects.filter(district__slug="gamma").count() == 2

    # Pair the two: pick the district and cohort, then the pair.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pairings").click()
    check_a11y(page)
    page.get_by_role("link", name="New pairing").click()
    check_a11y(page)
    page.get_by_label("District").select_option(label="Gamma Schools")
    page.get_by_label("Cohort").select_option(label=world.cohort.name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New pairing")
    check_a11y(page)
    page.get_by_label("Teacher").select_option(label="Gamma, Tess — Gamma Middle")
    page.locator("#id_paraprofessional").select_option(label="Gamma, Paco — Gamma Middle")
    page.get_by_label("Classroom Management").check()
    page.get_by_label("Small-group instruction").select_option(label="Tier 2 (targeted groups)")
    page.get_by_role("button", name="Create pairing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tess Gamma mentoring Paco Gamma")
    expect(page.get_by_role("status")).to_contain_text("Pairing created")
    check_a11y(page)
    pairing = Pairing.objects.get(district__slug="gamma")
    assert (pairing.teacher.first_name, pairing.paraprofessional.first_name) == ("Tess", "Paco")
    assert pairing.cohort == world.cohort and pairing.focus_areas == ["classroom_management"]


def test_district_coordinator_sees_only_their_district_by_keyboard(
    page: Page, live_server, world, check_a11y
) -> None:
    """Done with the keyboard alone: Tab to move, Enter to follow and submit."""
    SchoolFactory(district=world.district_b, name="Hidden Beta School")
    page.goto(f"{live_server.url}/accounts/login/")
    check_a11y(page)
    # The sign-in form puts focus in the email field; the skip link is one Shift+Tab away
    # past the header link.
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type("dc-own@example.test")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    check_a11y(page)

    districts_link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Districts"
    )
    for _ in range(30):
        page.keyboard.press("Tab")
        if districts_link.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/districts/")
    check_a11y(page)
    expect(page.get_by_role("link", name="Alpha District")).to_be_visible()
    expect(page.get_by_text("Beta District")).to_have_count(0)

    page.keyboard.press("Tab")  # the skip link is the first stop on every page
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    page.goto(f"{live_server.url}/districts/beta/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_a11y(page)
    page.goto(f"{live_server.url}/staff/")
    expect(page.get_by_text("Hidden Beta School")).to_have_count(0)
    check_a11y(page)


def test_teacher_logs_a_session_and_submits_an_observation(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    current_rubric()  # a transactional test starts from an emptied database
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    para = world.para.full_name
    sign_in(page, "teacher@example.test", PASSWORD)
    check_a11y(page)

    # A session, from the dashboard through the pairing page.
    page.get_by_role("region", name="My paraprofessionals").get_by_role(
        "link", name=para, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(para)
    check_a11y(page)
    page.get_by_role("link", name="Log a session").click()
    check_a11y(page)
    page.get_by_label("Minutes").fill("40")
    page.get_by_label("Classroom Support").check()
    page.get_by_label("Notes").fill("Modelled the exit ticket for the reading group.")
    page.get_by_label("Next steps").fill("Para runs the exit ticket on Friday.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Session logged.")
    expect(page.get_by_text("1 session, 40 minutes in all.")).to_be_visible()
    check_a11y(page)
    session = MentoringSession.objects.get()
    assert session.pairing == pairing and session.logged_by == world.teacher

    # The baseline observation, every indicator rated, then submitted.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Observations").click()
    check_a11y(page)
    page.get_by_role("link", name=f"Start the baseline observation of {para}").click()
    check_a11y(page)
    page.get_by_label("Date observed").fill("2026-09-14")
    page.get_by_role("button", name="Start observation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Baseline observation of {para}")
    check_a11y(page)
    indicators = list(current_rubric().indicators.order_by("domain__position", "position"))
    assert len(indicators) >= 8
    for n, indicator in enumerate(indicators):
        group = page.get_by_role("group", name=indicator.statement)
        level = 2 + n % 3  # 2, 3 or 4
        group.get_by_role("radio", name=re.compile(rf"^{level} · ")).check()
        group.get_by_label("Evidence note").fill(f"Seen in the reading group ({n + 1}).")
    page.get_by_label("Strengths", exact=True).fill("Calm, clear directions.")
    page.get_by_label("Next steps", exact=True).fill("Try think-pair-share.")
    page.get_by_role("button", name="Submit observation").click()
    page.get_by_role("button", name="Submit observation").click()  # the confirmation page
    expect(page.get_by_text("Submitted observations are read-only.")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    check_a11y(page)
    observation = Observation.objects.get()
    assert observation.status == "submitted" and observation.pairing == pairing
    scores = list(observation.ratings.values_list("score", flat=True))
    assert len(scores) == len(indicators) and None not in scores


def test_paraprofessional_acknowledges_an_observation_and_opens_their_progress(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    pairing = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=world.para
    )
    ObservationFactory(pairing=pairing, kind="baseline", scores=3, submitted=True)
    done = CourseFactory(college=world.college, code="EDU 101", title="Foundations")
    current = CourseFactory(college=world.college, code="EDU 150", title="Small Groups")
    EnrollmentFactory(
        para=world.para,
        offering=OfferingFactory(
            course=done, cohort=world.cohort, starts_on=date(2026, 1, 5), ends_on=date(2026, 5, 1)
        ),
        grade="A",
    )
    open_offering = OfferingFactory(
        course=current, cohort=world.cohort, starts_on=date(2026, 8, 24), ends_on=date(2027, 5, 1)
    )
    ModuleFactory(offering=open_offering, order=1, title="Grouping students")
    EnrollmentFactory(para=world.para, offering=open_offering)
    plan = DegreePlanFactory(
        college=world.college, name="Paraeducator Certificate", total_credits=Decimal(9)
    )
    RequirementBlockFactory(
        plan=plan, name="Core", credits_required=Decimal(9), courses=[done, current]
    )
    PlanDeclaration.objects.create(para=world.para, plan=plan, declared_on=date(2026, 8, 1))

    sign_in(page, "para@example.test", PASSWORD)
    expect(page.get_by_text("Please read and acknowledge it.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Read the baseline observation").click()
    expect(page.get_by_role("group", name="Acknowledge this observation")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Your response (optional)").fill("Thank you: I will try the groups.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("acknowledged receiving this observation")).to_be_visible()
    check_a11y(page)
    assert Observation.objects.get().acknowledgement.response == (
        "Thank you: I will try the groups."
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.locator("#plan-overall")).to_contain_text(
        "3 of 9 credits earned (33%), 3 in progress, 3 still to plan."
    )
    expect(page.get_by_role("heading", name="EDU 150 Small Groups", exact=False)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name=re.compile(r"Mark done\s*: Grouping students")).click()
    expect(page.get_by_role("status")).to_contain_text("marked done")
    check_a11y(page)
    page.get_by_role("link", name="Transcript").click()
    expect(page.get_by_role("cell", name="Foundations")).to_be_visible()
    check_a11y(page)


def test_college_liaison_grades_an_offering(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    offering = OfferingFactory(
        course=CourseFactory(college=world.college, code="EDU 120", title="Behaviour Support"),
        cohort=world.cohort,
        term="Fall 2026 (first 8 weeks)",
        starts_on=date(2026, 8, 24),
        ends_on=date(2026, 10, 16),
    )
    EnrollmentFactory(para=world.para, offering=offering)
    classmate = ParaFactory(school=world.school_a, first_name="Casey", last_name="Classmate")
    EnrollmentFactory(para=classmate, offering=offering)

    sign_in(page, "liaison@example.test", PASSWORD)
    panel = page.get_by_role("region", name="Offerings waiting for grades")
    expect(panel).to_contain_text("2 enrollments without a final grade")
    check_a11y(page)
    panel.get_by_role("link", name="EDU 120 Behaviour Support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Final grades for EDU 120")
    check_a11y(page)
    page.get_by_label(f"Grade for {world.para.full_name}").fill("b")
    page.get_by_label("Grade for Casey Classmate").fill("P")
    page.get_by_role("button", name="Save all grades").click()
    expect(page.get_by_role("status")).to_contain_text("2 enrollments changed")
    expect(page.get_by_label("Grade for Casey Classmate")).to_have_value("P")
    check_a11y(page)
    grades = dict(Enrollment.objects.values_list("para__first_name", "grade"))
    assert grades == {world.para.first_name: "B", "Casey": "P"}
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"completed"}

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offerings").click()
    check_a11y(page)
    page.get_by_role("link", name="Past").click()
    check_a11y(page)
