"""A district coordinator, with the keyboard alone, is sent to set up an authenticator app
at their first password sign-in, does so, signs out and signs in again with a code; axe-core
on every page (the CSP watch in conftest fails on any violation)."""

import re
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from pilot.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page: Page, matches: str) -> None:
    """Press Tab until the focused element matches the CSS selector (as a person would)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", matches):
            return
    raise AssertionError(f"Tab never reached {matches}")


def keyboard_sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_a_coordinator_sets_up_the_authenticator_and_signs_in_with_a_code(
    page: Page, live_server, world, settings, check_a11y
) -> None:
    settings.MFA_REQUIRED = True
    user = world.users["dc_own"]
    keyboard_sign_in(page, live_server.url, user.email)
    # Anything they ask for leads to the set-up page first.
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    check_a11y(page)
    page.goto(f"{live_server.url}/staff/")
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    tab_to(page, "#id_code")
    page.keyboard.type(totp.now())
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    check_a11y(page)
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    # Now the dashboard opens; sign out with the keyboard.
    page.goto(f"{live_server.url}/")
    check_a11y(page)
    tab_to(page, "button.btn-signout")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # The code just used is spent: wait for the next 30-second window's code.
    time.sleep(30 - time.time() % 30 + 1)
    keyboard_sign_in(page, live_server.url, user.email)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check_a11y(page)
    tab_to(page, "#id_code")
    page.keyboard.type(totp.now())
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
    assert AuditEntry.objects.filter(action="mfa_enabled", subject=user.email).exists()
