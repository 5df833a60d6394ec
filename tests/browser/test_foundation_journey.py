"""A program coordinator sets up a district and a school; a teacher lands on their dashboard."""

import pytest
from playwright.sync_api import Page, expect

from pilot.models import School
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_district_and_school(page: Page, live_server, world, sign_in, check_a11y):
    sign_in(page, "pc@example.test", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Program coordinator dashboard")
    check_a11y(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Districts").click()
    check_a11y(page)
    page.get_by_role("link", name="New district").click()
    page.locator("#id_name").fill("Gamma Schools")
    page.get_by_label("Slug", exact=False).fill("gamma")
    page.get_by_label("State").fill("ia")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gamma Schools")
    check_a11y(page)

    page.get_by_role("link", name="Add a school").click()
    page.get_by_role("button", name="Save").click()  # empty: the field says what is missing
    expect(page.locator("#id_name")).to_have_class("textinput form-control is-invalid")
    check_a11y(page)
    page.locator("#id_name").fill("Gamma Elementary")
    page.get_by_label("Grade band").select_option("elementary")
    page.get_by_label("Paraprofessionals lead small-group intervention").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Gamma Elementary", exact=True)).to_be_visible()
    assert School.objects.filter(district__slug="gamma", name="Gamma Elementary").exists()

    page.goto(f"{live_server.url}/staff/")
    check_a11y(page)


def test_teacher_lands_on_own_dashboard(page: Page, live_server, world, sign_in, check_a11y):
    sign_in(page, "teacher@example.test", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Staff")).to_have_count(0)
    check_a11y(page)
