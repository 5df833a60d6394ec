"""A district coordinator, sent to set up a second factor at their first password sign-in,
adds a passkey instead of an authenticator app (Chromium's virtual authenticator, through
the DevTools protocol, plays the security key), signs out, signs in again with the password
and the passkey, and removes it; axe-core on every page, the CSP watch in conftest on all."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from pilot.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page: Page) -> tuple[object, str]:
    """A platform authenticator that says yes at once (presence and user verification)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, made["authenticatorId"]


def password_sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_adds_a_passkey_and_signs_in_with_it(
    page: Page, live_server, world, settings, check_a11y
) -> None:
    settings.MFA_REQUIRED = True
    user = world.users["dc_own"]
    cdp, authenticator_id = virtual_authenticator(page)

    password_sign_in(page, live_server.url, user.email)
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    page.get_by_role("link", name="Add a passkey instead").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/add/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    check_a11y(page)
    page.get_by_label("Name").fill("Office laptop")
    page.get_by_role("button", name="Add passkey").click()
    # The first factor added also makes recovery codes: they are shown once.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    check_a11y(page)
    passkey = Authenticator.objects.get(user=user, type="webauthn")
    assert str(passkey) == "Office laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    added = AuditEntry.objects.filter(action="mfa_enabled", subject=user.email)
    assert "Passkey “Office laptop”" in {entry.detail for entry in added}

    # The passkey counts as the second factor: the dashboard opens.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/accounts/2fa/" not in page.url
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Office laptop", exact=True)).to_be_visible()
    check_a11y(page)
    page.locator("button.btn-signout").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # Signing in again: the password, then the passkey.
    password_sign_in(page, live_server.url, user.email)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    check_a11y(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
    used = AuditEntry.objects.get(action="mfa_used", subject=user.email)
    assert "Office laptop" in used.detail

    # Removing it is logged too.
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove Office laptop").click()
    check_a11y(page)
    page.get_by_role("button", name="Remove passkey").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/$"))
    check_a11y(page)
    assert not Authenticator.objects.filter(user=user, type="webauthn").exists()
    removed = AuditEntry.objects.filter(action="mfa_disabled", subject=user.email)
    assert "Passkey “Office laptop”" in {entry.detail for entry in removed}
