"""Every page of every app, as someone allowed to see it, carries the strict content
security policy and is never cached (downloads included): the rows of the authorization
matrix say which pages exist and who may open them."""

import pytest
from django.test import Client

from .authz.registry import all_rows
from .test_security_settings import assert_strict_csp
from .world import PERSONAS, build_world


def first_allowed(row) -> str | None:
    return next((p for p in PERSONAS if p != "anon" and row.expect[p] == 200), None)


PAGES = {
    name: (row, persona)
    for name, row in all_rows().items()
    if row.method == "get" and (persona := first_allowed(row)) is not None
}


def test_the_apps_pages_are_all_here() -> None:
    apps = {name.split(":")[0] for name in PAGES}
    assert {"pilot", "mentoring", "coursework", "observations"} <= apps, apps
    assert len(PAGES) >= 60


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_sends_the_policy_and_no_store(name: str) -> None:
    row, persona = PAGES[name]
    world = build_world()
    client = Client()
    client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(row.url(world))
    assert response.status_code == 200, f"as {persona}"
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control, response["Cache-Control"]
    if response["Content-Type"].startswith("text/html"):
        assert_strict_csp(response)
    elif response["Content-Type"].startswith(("text/csv", "application/pdf")):
        # A download, never shown inline as a page.
        assert response["Content-Disposition"].startswith("attachment")
