"""The trust pages in a real browser under the CSP: a lockout lifted, a history read, a
double click that saves once, with axe-core on each page."""

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import Page, expect

from pilot.models import District
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_unlocks_an_account(page: Page, live_server, world, sign_in, check_a11y):
    # Five failures from another address: the account is locked, this browser's address not.
    AccessAttempt.objects.create(
        username="para@example.test", ip_address="10.0.0.1", user_agent="x", failures_since_start=5
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("para@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    check_a11y(page)

    sign_in(page, "pc@example.test", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roles").click()
    page.get_by_role("link", name="sign-in lockouts").click()
    expect(page.get_by_role("cell", name="para@example.test", exact=True)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Unlock para@example.test").click()
    expect(page.get_by_role("status")).to_contain_text("Unlocked the account para@example.test")
    check_a11y(page)
    assert not AccessAttempt.objects.filter(username="para@example.test").exists()


def test_coordinator_reads_the_change_history(page: Page, live_server, world, sign_in, check_a11y):
    sign_in(page, "pc@example.test", PASSWORD)
    page.goto(f"{live_server.url}/staff/{world.para.uuid}/edit/")
    page.get_by_label("First name").fill("Patricia")
    page.get_by_role("button", name="Save").click()
    history = page.get_by_role("table", name=f"Changes to Patricia {world.para.last_name}")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Patricia")
    check_a11y(page)


def test_double_click_on_create_saves_once(page: Page, live_server, world, sign_in, check_a11y):
    sign_in(page, "pc@example.test", PASSWORD)
    page.goto(f"{live_server.url}/districts/new/")
    check_a11y(page)
    page.locator("#id_name").fill("Gamma Schools")
    page.get_by_label("Slug", exact=False).fill("gamma")
    page.get_by_label("State").fill("IA")
    page.get_by_role("button", name="Save").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gamma Schools")
    check_a11y(page)
    assert District.objects.filter(slug="gamma").count() == 1


def test_a_policy_violation_is_caught(page: Page, live_server, csp_watch) -> None:
    """The watch every browser test runs with sees what the policy refuses: an inline
    script and an inline style added to a page."""
    page.goto(f"{live_server.url}/accounts/login/")
    assert csp_watch.violations == []
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.title = 'ran';";
          document.body.appendChild(script);
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
        }"""
    )
    expect(page).not_to_have_title("ran")
    page.wait_for_timeout(200)  # the events are reported asynchronously
    directives = " ".join(csp_watch.violations)
    assert "script-src" in directives and "style-src" in directives
    csp_watch.violations.clear()  # seen: let the test pass
