"""Production settings pass Django's deployment check; every response carries the headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def production_env(**overrides: str) -> dict[str, str]:
    """The environment a production server gets: DEBUG off, a long random key, a host."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pilot.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="pilot.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",  # the shared cache (and queue) of a deployment
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_when_debug_is_on() -> None:
    """The check is not vacuous: the same command fails on a development configuration."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = manage("check", env=production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_security_settings() -> None:
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "DEBUG",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = manage("shell", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SESSION_COOKIE_AGE"] <= 12 * 60 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response) -> None:
    assert "Content-Security-Policy" in response, "no CSP header"
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    for sources in csp.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


@pytest.mark.django_db
def test_anonymous_pages_send_security_headers(client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_strict_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_signed_in_pages_send_csp_and_no_store(world, login) -> None:
    client = login(world.users["pc"])
    for url in [
        reverse("pilot:dashboard"),
        reverse("pilot:staff-list"),
        reverse("pilot:staff-detail", args=[world.para.uuid]),
        reverse("pilot:district-detail", args=[world.district_a.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, (url, response["Cache-Control"])
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_error_and_redirect_responses_to_signed_in_users_are_not_stored(world, login) -> None:
    client = login(world.users["para"])
    forbidden = client.get(reverse("pilot:staff-list"))
    assert forbidden.status_code == 403
    assert "no-store" in forbidden["Cache-Control"]
    assert_strict_csp(forbidden)


@pytest.mark.django_db
def test_https_redirect_and_hsts_when_enabled(client, settings) -> None:
    """With the production values, plain HTTP is redirected and HTTPS carries HSTS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_deploy_check_asks_for_a_cache_every_server_process_shares() -> None:
    """In each process's memory the cached figures' data version would not be shared."""
    env = production_env()
    del env["REDIS_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "pilot.W001" in result.stdout + result.stderr
    shared = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**env, "CACHE_BACKEND": "database"}
    )
    assert shared.returncode == 0, shared.stdout + shared.stderr
