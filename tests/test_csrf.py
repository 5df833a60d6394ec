"""With CSRF checks enforced, every POST without a token is refused (403); with one it works.

The routes come from the authorization matrix, so a new app's rows are covered as soon as
they are added there: its POST routes (refused without a token, accepted with one), and a
POST to every other route too (refused: no view is exempt from the check).
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from .authz import LOGIN
from .authz.registry import all_rows
from .world import build_world

ALL_ROWS = sorted(all_rows())
POST_ROWS = sorted(name for name, row in all_rows().items() if row.method == "post")


def persona_allowed(row) -> str:
    """A persona the matrix lets through, so a 403 can only come from the CSRF check."""
    for persona in ("pc", "dc_own", "liaison", "teacher", "para", "dc_other"):
        expected = row.expect[persona]
        if expected != LOGIN and expected not in (403, 404):
            return persona
    return "pc"


def test_there_are_post_routes_to_check() -> None:
    assert len(POST_ROWS) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_ROWS)
def test_post_without_token_is_refused(name: str) -> None:
    row = all_rows()[name]
    world = build_world()
    persona = persona_allowed(row)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    url = row.url(world)
    data = row.data(world) if row.data else {}

    with transaction.atomic():
        refused = client.post(url, data)
        transaction.set_rollback(True)
    assert refused.status_code == 403, f"{name} accepted a POST without a CSRF token"
    assert "This form could not be sent" in refused.content.decode()

    if row.method != "post":
        return
    # Control: the same request with a token gets what the matrix expects.
    secret = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    with transaction.atomic():
        allowed = client.post(url, {**data, "csrfmiddlewaretoken": secret})
        transaction.set_rollback(True)
    assert allowed.status_code == row.expect[persona], name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "logout", "password_reset"])
def test_auth_posts_without_token_are_refused(name: str, world) -> None:
    client = Client(enforce_csrf_checks=True)
    data = {"username": "pc@example.test", "password": "a-long-test-password"}
    if name == "password_reset":
        data = {"email": "pc@example.test"}
    assert client.post(reverse(name), data).status_code == 403


@pytest.mark.django_db
def test_csrf_refusal_page_is_in_the_site_layout(world) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="skip-link"' in html and '<header class="site-header' in html
    assert "CSRF" not in html  # no jargon, no debugging detail
