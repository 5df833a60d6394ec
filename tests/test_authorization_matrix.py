"""Every named URL has a row saying what each persona gets: 302 to login, 200, 403 or 404."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .authz import LOGIN
from .authz.registry import all_rows
from .world import PERSONAS, build_world

# Django's own views, tested in test_auth.py and test_admin.py rather than by role.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The same sign-in and sign-out pages under the names allauth links to.
    "account_login",
    "account_logout",
}


def named_urls(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{prefix}{entry.name}"
            if name not in EXEMPT_NAMES:
                names.add(name)
    return names


def test_every_named_url_has_a_row() -> None:
    rows = all_rows()
    missing = sorted(named_urls() - rows.keys())
    assert not missing, f"URLs without an authorization row: {missing}"
    stale = sorted(rows.keys() - named_urls())
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(all_rows()))
def test_access(name: str) -> None:
    row = all_rows()[name]
    world = build_world()
    url = row.url(world)
    failures = []
    for persona in PERSONAS:
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # Each persona's request runs in a savepoint that is rolled back, so a POST by one
        # persona cannot change what the next one sees.
        with transaction.atomic():
            data = row.data(world) if row.data else {}
            response = getattr(client, row.method)(url, data)
            transaction.set_rollback(True)
        expected = row.expect[persona]
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{persona}: expected {expected}, got {response.status_code}")
    assert not failures, f"{row.method.upper()} {url}\n" + "\n".join(failures)
