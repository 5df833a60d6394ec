"""Single sign-on against a real OpenID Connect provider started on 127.0.0.1
(oidc-provider-mock): discovery, the authorization-code flow with PKCE, the ID token; an
existing active account with the verified email signs in, nobody else does, nothing is
created, and each refusal is in the access log."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from pilot.models import AuditEntry, User

from .factories import RoleAssignmentFactory, UserFactory

START = "/accounts/oidc/district/login/"
REFUSED = "An error occurred while attempting to login via your third-party account."


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def district_sso(settings, provider: str) -> str:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "district",
                    "name": "Alpha District ID",
                    "client_id": "pilot-site",
                    "secret": "pilot-secret",
                    "settings": {"server_url": provider},
                }
            ],
        }
    }
    return provider


def provider_user(provider: str, sub: str, **claims: object) -> None:
    httpx.put(f"{provider}/users/{sub}", json=claims).raise_for_status()


def authorize(client: Client, sub: str) -> tuple[str, dict]:
    """Start at the site, consent at the provider as ``sub``: the callback path and its
    parameters (code and state), not yet followed."""
    start = client.post(START)
    assert start.status_code == 302, start
    authorize_url = start["Location"]
    asked = parse_qs(urlsplit(authorize_url).query)
    assert asked["response_type"] == ["code"] and asked["code_challenge_method"] == ["S256"]
    assert "openid" in asked["scope"][0].split() and asked["code_challenge"][0]
    consent = httpx.post(authorize_url, data={"sub": sub}, follow_redirects=False)
    assert consent.status_code == 302, consent.text
    back = urlsplit(consent.headers["location"])
    return back.path, {k: v[0] for k, v in parse_qs(back.query).items()}


def sign_in(client: Client, sub: str):
    path, params = authorize(client, sub)
    return client.get(path, params)


def signed_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


@pytest.mark.django_db
class TestSingleSignOn:
    def test_the_button_shows_only_when_configured(self, settings, district_sso) -> None:
        assert "Sign in with Alpha District ID" in Client().get("/accounts/login/").text
        settings.SOCIALACCOUNT_PROVIDERS = {}
        page = Client().get("/accounts/login/").text
        assert "Sign in with" not in page and 'name="username"' in page

    def test_a_matching_active_account_signs_in_and_lands_on_its_dashboard(
        self, district_sso
    ) -> None:
        coordinator = RoleAssignmentFactory(user=UserFactory(email="dana.coord@alpha.test")).user
        provider_user(district_sso, "u-1", email="Dana.Coord@Alpha.test", email_verified=True)
        client = Client()
        response = sign_in(client, "u-1")
        assert response.status_code == 302 and response["Location"] == "/"
        assert signed_in_as(client) == coordinator.email
        assert client.get("/").status_code == 200
        assert User.objects.count() == 1
        assert SocialAccount.objects.get().user == coordinator

    @pytest.mark.parametrize(
        ("claims", "account"),
        [
            ({"email": "stranger@alpha.test", "email_verified": True}, None),
            ({"email": "dana@alpha.test", "email_verified": False}, "active"),
            ({"email": "dana@alpha.test"}, "active"),
            ({"email": "dana@alpha.test", "email_verified": True}, "deactivated"),
        ],
        ids=["unknown-email", "unverified-email", "no-verified-claim", "deactivated-account"],
    )
    def test_refused_with_nothing_created_and_logged(
        self, district_sso, claims: dict, account: str | None
    ) -> None:
        if account:
            UserFactory(email="dana@alpha.test", is_active=account == "active")
        users_before = User.objects.count()
        provider_user(district_sso, "u-2", **claims)
        client = Client()
        response = sign_in(client, "u-2")
        assert response.status_code == 403
        assert f"No account for {claims['email']}" in response.text
        assert "ask your program coordinator" in response.text.lower().replace("\n", " ")
        assert signed_in_as(client) is None
        assert User.objects.count() == users_before and not SocialAccount.objects.exists()
        entry = AuditEntry.objects.get(action="sso_refused")
        assert entry.subject == claims["email"] and "Alpha District ID" in entry.detail

    def test_a_tampered_state_is_refused(self, district_sso) -> None:
        UserFactory(email="dana@alpha.test")
        provider_user(district_sso, "u-3", email="dana@alpha.test", email_verified=True)
        client = Client()
        path, params = authorize(client, "u-3")
        params["state"] = params["state"][:-2] + ("AA" if params["state"][-2:] != "AA" else "BB")
        response = client.get(path, params)
        assert response.status_code == 401 and REFUSED in response.text
        assert signed_in_as(client) is None and not SocialAccount.objects.exists()

    def test_a_replayed_code_is_refused(self, district_sso) -> None:
        UserFactory(email="dana@alpha.test")
        provider_user(district_sso, "u-4", email="dana@alpha.test", email_verified=True)
        first = Client()
        path, params = authorize(first, "u-4")
        assert first.get(path, params).status_code == 302
        assert signed_in_as(first) == "dana@alpha.test"
        # The same callback again (its state is spent) ...
        again = first.get(path, params)
        assert again.status_code == 401 and REFUSED in again.text
        # ... and the spent code under a fresh, valid state from another browser.
        other = Client()
        _, fresh = authorize(other, "u-4")
        response = other.get(path, {"code": params["code"], "state": fresh["state"]})
        assert signed_in_as(other) is None
        assert response.status_code == 401 and REFUSED in response.text


@pytest.mark.django_db
def test_the_refusal_page_shows_the_providers_email_escaped(district_sso) -> None:
    hostile = 'x"><script>alert(1)</script>@alpha.test'
    provider_user(district_sso, "u-5", email=hostile, email_verified=True)
    response = sign_in(Client(), "u-5")
    assert response.status_code == 403
    assert "<script>alert(1)</script>" not in response.text
    assert "<script>alert" not in response.text and "No account for" in response.text
