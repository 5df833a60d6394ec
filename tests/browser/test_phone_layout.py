"""Every page at a phone's width (390 x 844): nothing scrolls sideways and axe finds nothing;
the main navigation folds behind a menu button that works with the keyboard.

The pages come from the authorization matrix, the way the axe sweep lists them, so a new page
is measured here as soon as it has its row.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from playwright.sync_api import Page, expect

from tests.authz.registry import all_rows
from tests.report_data import build_small_pilot
from tests.world import PERSONAS, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf")

# Every page with every role that may open it: a teacher's page is not a coordinator's.
PAGE_ROLES = [
    (name, row, persona)
    for name, row in sorted(all_rows().items())
    if row.method == "get"
    for persona in PERSONAS
    if persona != "anon" and row.expect[persona] == 200
]

# Wider than the window means the reader must pan sideways to see the page's edge.
SCROLL_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# The outermost elements that reach past the window's right edge, to say what to fix.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.table-region')
    && e.getBoundingClientRect().right > window.innerWidth + 1
    && !(e.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


def _sign_in_as(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_no_page_scrolls_sideways_on_a_phone(page: Page, live_server, axe) -> None:
    page.set_viewport_size(PHONE)
    world = build_world()
    signed_in_as = None
    problems: list[str] = []
    checked = []
    for name, row, persona in PAGE_ROLES:
        try:
            with transaction.atomic():
                url = row.url(world)
        except IntegrityError:
            # Rows build their records for a fresh world; start one when two rows clash.
            call_command("flush", "--noinput", verbosity=0)
            world, signed_in_as = build_world(), None
            url = row.url(world)
        skipped = ("export", "pdf", "download")  # files, not pages
        if url.split("?")[0].endswith(DOWNLOAD_SUFFIXES) or any(s in name for s in skipped):
            continue
        if signed_in_as != persona:
            _sign_in_as(page, live_server, world.users[persona])
            signed_in_as = persona
        response = page.goto(f"{live_server.url}{url}")
        if response is None or "html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status == 200, f"{name} as {persona}: {response.status}"
        scroll_width, inner_width = page.evaluate(SCROLL_WIDTH)
        if scroll_width > inner_width:
            culprits = ", ".join(page.evaluate(TOO_WIDE))
            problems.append(f"{name} as {persona} ({url}): {scroll_width}px wide: {culprits}")
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"{name} as {persona}: axe\n{results.generate_report()}")
        checked.append((name, persona))
    assert not problems, f"{len(problems)} of {len(checked)}:\n" + "\n".join(problems)
    assert len(checked) >= 100, checked


def test_the_menu_button_opens_and_closes_with_the_keyboard(page: Page, live_server) -> None:
    page.set_viewport_size(PHONE)
    world = build_world()
    _sign_in_as(page, live_server, world.users["teacher"])
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_text("Menu", exact=True)
    first_link = nav.get_by_role("link").first
    # Folded: the links take no room on the first screen.
    expect(first_link).to_be_hidden()
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 120, header_height
    # Tab from the skip link to the menu button, open it with Enter, follow a link.
    page.keyboard.press("Tab")
    for _ in range(6):
        if page.evaluate("document.activeElement.textContent.trim()") == "Menu":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    expect(first_link).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav') !== null")
    # Space closes it again.
    menu.focus()
    page.keyboard.press(" ")
    expect(first_link).to_be_hidden()


def test_the_menu_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    world = build_world()
    _sign_in_as(page, live_server, world.users["teacher"])
    page.goto(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    first_link = nav.get_by_role("link").first
    expect(first_link).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(first_link).to_be_visible()
    context.close()


def test_the_navigation_is_open_on_a_laptop(page: Page, live_server) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    world = build_world()
    _sign_in_as(page, live_server, world.users["teacher"])
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link").first).to_be_visible()


# The smallest label of each chart as drawn: its font size times the chart's scale.
SMALLEST_CHART_TEXT = """() => [...document.querySelectorAll('figure.chart svg')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')));
  return Math.min(...sizes) * scale;
})"""


@pytest.mark.parametrize("width", [390, 1366])
def test_chart_labels_are_at_least_12px(page: Page, live_server, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    world = build_world()
    build_small_pilot(world)
    _sign_in_as(page, live_server, world.users["pc"])
    for url in ("/reports/", "/reports/pilot/"):
        page.goto(f"{live_server.url}{url}")
        sizes = page.evaluate(SMALLEST_CHART_TEXT)
        assert sizes, f"no chart on {url}"
        assert min(sizes) >= 12, (url, sizes)
        scroll_width, inner_width = page.evaluate(SCROLL_WIDTH)
        assert scroll_width <= inner_width, (url, scroll_width)
