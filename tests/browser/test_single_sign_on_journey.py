"""The district's provider in a real browser: the sign-in page's button leads to the
provider (oidc-provider-mock on 127.0.0.1) and back, and a coordinator lands on their
dashboard. The button's form is answered by a redirect to the provider, which the CSP's
``form-action`` must allow (the CSP watch in conftest fails on any violation); axe-core on
the site's pages."""

import re
from collections.abc import Iterator

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect

from tests.sso import district_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings) -> Iterator[str]:
    with run_server_in_thread() as server:
        url = f"http://localhost:{server.server_port}"
        settings.SOCIALACCOUNT_PROVIDERS = district_provider(url)
        yield url


def test_a_coordinator_signs_in_through_the_districts_provider(
    page: Page, live_server, world, provider: str, check_a11y
) -> None:
    user = world.users["dc_own"]
    httpx.put(
        f"{provider}/users/dana", json={"email": user.email.upper(), "email_verified": True}
    ).raise_for_status()
    page.goto(f"{live_server.url}/accounts/login/")
    check_a11y(page)
    page.get_by_role("button", name="Sign in with Alpha District ID").click()
    page.wait_for_url(re.compile(re.escape(provider) + r"/oauth2/authorize"))
    page.locator('input[name="sub"][type="text"]').fill("dana")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("District coordinator dashboard")
    check_a11y(page)
