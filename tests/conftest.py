import os

import pytest
from django.test import Client

from .world import World, build_world

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client: Client):
    """Sign the test client in as a user (skips axes: not a real login attempt)."""

    def _login(user) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """No test sees another's cached figures (or password-reset counts)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_static(settings) -> None:
    settings.WHITENOISE_AUTOREFRESH = True
