"""axe-core on every HTML page of the site, as someone allowed to see it.

The authorization matrix says which pages exist and who may open them, so a new page is
checked here as soon as it has its row (downloads are skipped: they are not pages).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from playwright.sync_api import Page

from tests.test_headers_every_page import PAGES
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf")


def test_every_page_passes_axe(page: Page, live_server, check_a11y) -> None:
    world = build_world()
    sessions: dict[str, str] = {}
    checked = []
    for name, (row, persona) in sorted(PAGES.items()):
        try:
            with transaction.atomic():
                url = row.url(world)
        except IntegrityError:
            # Rows build their records for a fresh world; start one when two rows clash.
            call_command("flush", "--noinput", verbosity=0)
            world, sessions = build_world(), {}
            url = row.url(world)
        skipped = ("export", "pdf", "download")
        if url.split("?")[0].endswith(DOWNLOAD_SUFFIXES) or any(s in name for s in skipped):
            continue
        if persona not in sessions:
            client = Client()
            client.force_login(
                world.users[persona], backend="django.contrib.auth.backends.ModelBackend"
            )
            sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": sessions[persona],
                    "url": live_server.url,
                }
            ]
        )
        response = page.goto(f"{live_server.url}{url}")
        if response is None or "html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status == 200, f"{name} as {persona}: {response.status}"
        check_a11y(page)
        checked.append(name)
    assert len(checked) >= 50, checked
