"""Browser tests: pytest-playwright driving Debian's Chromium against a live server."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page

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


# Reports each `securitypolicyviolation` event of every document the page loads to Python
# (an init script runs through the browser's debugging protocol, so the CSP allows it).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.href,
  });
});
"""


class CspWatch:
    """What the content security policy refused on a page: `securitypolicyviolation` events
    and console errors about the policy (Chromium logs each refusal)."""

    def __init__(self, page: Page) -> None:
        self.violations: list[str] = []
        page.expose_function("__cspViolation", lambda v: self.violations.append(str(v)))
        page.add_init_script(_REPORT_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text} ({message.location.get('url')})")


@pytest.fixture(autouse=True)
def csp_watch(request: pytest.FixtureRequest):
    """Fails any browser test whose pages break the content security policy (on for every
    browser test: the live server sends the production policy)."""
    if "page" not in request.fixturenames:
        yield None
        return
    watch = CspWatch(request.getfixturevalue("page"))
    yield watch
    assert not watch.violations, "content security policy violations:\n" + "\n".join(
        watch.violations
    )
