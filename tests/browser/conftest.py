"""Browser tests: pytest-playwright driving Debian's Chromium against a live server."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def check_a11y(axe: Axe):
    """Run axe-core on the page as it is now; fail with axe's report on any violation."""

    def _check(page: Page) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return _check


@pytest.fixture
def sign_in(live_server, check_a11y):
    """Sign in through the real login page, checking it with axe on the way."""

    def _sign_in(page: Page, email: str, password: str) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        check_a11y(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in
