"""One journey per role through real pages, with axe-core on every page visited."""

import pytest
from playwright.sync_api import Page, expect

from pilot.models import CohortEnrollment, Staff
from tests.factories import PASSWORD, DistrictFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_coordinator_enrolls_district_adds_school_and_staff(
    page: Page, live_server, world, sign_in, check_a11y
) -> None:
    DistrictFactory(name="Gamma Schools", slug="gamma")
    sign_in(page, "pc@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    check_a11y(page)
    page.get_by_role("link", name=f"Enroll a district in {world.cohort.name}").click()
    check_a11y(page)
    page.get_by_label("District").select_option(label="Gamma Schools")
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_role("status")).to_contain_text("Gamma Schools enrolled")
    assert CohortEnrollment.objects.filter(district__slug="gamma", cohort=world.cohort).exists()

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
        page.get_by_role("link", name="Gamma Schools", exact=True).click()
    assert Staff.objects.filter(district__slug="gamma").count() == 2


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
