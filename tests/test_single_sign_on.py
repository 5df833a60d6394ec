"""Single sign-on against a real OpenID Connect provider started on 127.0.0.1
(oidc-provider-mock): discovery, the authorization-code flow with PKCE, the ID token; an
existing active account with the verified email signs in, nobody else does, nothing is
created, and each refusal is in the access log."""

import json
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from oidc_provider_mock import run_server_in_thread
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pilot.models import AuditEntry, User
from pilot.sessions import SIGNED_IN_AT

from .factories import (
    PASSWORD,
    DistrictFactory,
    RoleAssignmentFactory,
    TeacherFactory,
    UserFactory,
)
from .sso import district_provider

START = "/accounts/oidc/district/login/"
LOGIN = "/accounts/login/"
REFUSED = "An error occurred while attempting to login via your third-party account."


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def district_sso(settings, provider: str) -> str:
    settings.SOCIALACCOUNT_PROVIDERS = district_provider(provider)
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

    def test_the_csp_lets_the_button_reach_the_provider_from_the_sign_in_page_only(
        self, settings, district_sso
    ) -> None:
        csp = Client().get("/accounts/login/")["Content-Security-Policy"]
        assert f"form-action 'self' {district_sso};" in csp + ";"
        signed_in = UserFactory()
        client = Client()
        client.force_login(signed_in)
        assert "form-action 'self';" in client.get("/").headers["Content-Security-Policy"] + ";"
        settings.SOCIALACCOUNT_PROVIDERS = {}
        assert (
            "form-action 'self';"
            in Client().get("/accounts/login/")["Content-Security-Policy"] + ";"
        )

    def test_a_matching_active_account_signs_in_and_lands_on_its_dashboard(
        self, district_sso
    ) -> None:
        coordinator = RoleAssignmentFactory(user=UserFactory(email="dana.coord@alpha.test")).user
        provider_user(district_sso, "u-1", email="Dana.Coord@Alpha.test", email_verified=True)
        client = Client()
        path, params = authorize(client, "u-1")
        key_before = client.session.session_key
        response = client.get(path, params)
        assert response.status_code == 302 and response["Location"] == "/"
        assert signed_in_as(client) == coordinator.email
        # The session key changes at sign-in, and the 12-hour clock starts.
        assert client.session.session_key != key_before
        assert client.session[SIGNED_IN_AT]
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


# ---- the ID token: nonce, signature (JWKS from discovery), audience ---------------------


class ResigningProxy:
    """A small provider front on 127.0.0.1 for the ID-token cases: its discovery document is
    the mock's, except that the token endpoint and the key set are its own. It passes the
    token request to the mock and hands back the mock's ID token re-signed with its own
    published key ("good"), with a key it never published under the published key's id
    ("foreign-key"), for another client ("wrong-audience"), from another issuer or expired.
    The mock itself cannot be made to mis-sign."""

    KID = "proxy-key"

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.mode = "good"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def wsgi(self, environ: dict, start_response) -> list[bytes]:
        request = Request(environ)
        if request.path.endswith("/.well-known/openid-configuration"):
            config = httpx.get(f"{self.upstream}/.well-known/openid-configuration").json()
            config["token_endpoint"] = f"{request.host_url}token"
            config["jwks_uri"] = f"{request.host_url}jwks"
            body = config
        elif request.path == "/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            body = {"keys": [{**public, "kid": self.KID, "alg": "RS256", "use": "sig"}]}
        else:  # /token
            config = httpx.get(f"{self.upstream}/.well-known/openid-configuration").json()
            answer = httpx.post(
                config["token_endpoint"],
                data=request.form.to_dict(),
                headers={k: v for k, v in request.headers if k.lower() == "authorization"},
            ).json()
            claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
            if self.mode == "wrong-audience":
                claims["aud"] = "another-site"
            elif self.mode == "wrong-issuer":
                claims["iss"] = "https://id.elsewhere.test"
            elif self.mode == "expired":
                claims["iat"], claims["exp"] = int(time.time()) - 600, int(time.time()) - 300
            key = self.other_key if self.mode == "foreign-key" else self.key
            answer["id_token"] = jwt.encode(
                claims, key, algorithm="RS256", headers={"kid": self.KID}
            )
            body = answer
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


@pytest.fixture(scope="module")
def proxy(provider: str) -> Iterator[ResigningProxy]:
    front = ResigningProxy(provider)
    server = make_server("127.0.0.1", 0, front.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    front.url = f"http://127.0.0.1:{server.server_port}"
    yield front
    server.shutdown()


@pytest.fixture
def proxied_sso(settings, proxy: ResigningProxy, provider: str) -> ResigningProxy:
    settings.SOCIALACCOUNT_PROVIDERS = district_provider(proxy.url)
    proxy.mode = "good"
    return proxy


def assert_refused_and_logged(client: Client, response, reason: str) -> None:
    assert response.status_code == 401 and REFUSED in response.text
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists() and User.objects.count() == 1
    entry = AuditEntry.objects.get(action="sso_refused")
    assert reason in entry.detail and "Alpha District ID" in entry.detail, entry.detail


@pytest.mark.django_db
class TestIdToken:
    def test_the_authorization_request_carries_a_fresh_nonce(self, district_sso) -> None:
        first = parse_qs(urlsplit(Client().post(START)["Location"]).query)
        second = parse_qs(urlsplit(Client().post(START)["Location"]).query)
        assert len(first["nonce"][0]) >= 32 and first["nonce"] != second["nonce"]

    def test_an_id_token_with_another_nonce_is_refused(self, district_sso) -> None:
        UserFactory(email="dana@alpha.test")
        provider_user(district_sso, "n-1", email="dana@alpha.test", email_verified=True)
        client = Client()
        start = client.post(START)["Location"]
        parts = urlsplit(start)
        asked = {k: v[0] for k, v in parse_qs(parts.query).items()}
        asked["nonce"] = "a-nonce-this-site-never-sent"  # the provider signs what it is given
        consent = httpx.post(
            f"{parts.scheme}://{parts.netloc}{parts.path}",
            params=asked,
            data={"sub": "n-1"},
            follow_redirects=False,
        )
        back = urlsplit(consent.headers["location"])
        response = client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
        assert_refused_and_logged(client, response, "nonce")

    def test_a_token_signed_with_the_published_key_signs_in(self, proxied_sso) -> None:
        UserFactory(email="dana@alpha.test")
        provider_user(proxied_sso.upstream, "k-1", email="dana@alpha.test", email_verified=True)
        client = Client()
        response = sign_in(client, "k-1")
        assert response.status_code == 302 and signed_in_as(client) == "dana@alpha.test"

    @pytest.mark.parametrize(
        ("mode", "reason"),
        [
            ("foreign-key", "Signature verification failed"),
            ("wrong-audience", "Audience doesn't match"),
            ("wrong-issuer", "Invalid issuer"),
            ("expired", "Signature has expired"),
        ],
    )
    def test_a_mis_signed_or_misaddressed_token_is_refused(
        self, proxied_sso, mode: str, reason: str
    ) -> None:
        UserFactory(email="dana@alpha.test")
        provider_user(proxied_sso.upstream, "k-2", email="dana@alpha.test", email_verified=True)
        proxied_sso.mode = mode
        client = Client()
        response = sign_in(client, "k-2")
        assert_refused_and_logged(client, response, reason)


# ---- a district's sign-in domains ---------------------------------------------------------


@pytest.mark.django_db
class TestSignInDomains:
    def test_an_email_outside_the_districts_domains_is_refused_and_logged(
        self, district_sso
    ) -> None:
        district = DistrictFactory(sign_in_domains="alpha.k12.ia.us, staff.alpha.test")
        coordinator = UserFactory(email="dana@gmail.test")
        RoleAssignmentFactory(user=coordinator, role="district_coordinator", district=district)
        provider_user(district_sso, "d-1", email="dana@gmail.test", email_verified=True)
        client = Client()
        response = sign_in(client, "d-1")
        assert response.status_code == 403 and "No account for dana@gmail.test" in response.text
        assert signed_in_as(client) is None and not SocialAccount.objects.exists()
        entry = AuditEntry.objects.get(action="sso_refused")
        assert "accepts sign-ins from alpha.k12.ia.us, staff.alpha.test only" in entry.detail

    def test_an_email_in_one_of_the_domains_signs_in(self, district_sso) -> None:
        district = DistrictFactory(sign_in_domains="alpha.k12.ia.us staff.alpha.test")
        teacher = TeacherFactory(district=district, school__district=district)
        teacher.user = UserFactory(email="robin@staff.alpha.test")
        teacher.save()
        provider_user(district_sso, "d-2", email="Robin@Staff.Alpha.test", email_verified=True)
        client = Client()
        assert sign_in(client, "d-2").status_code == 302
        assert signed_in_as(client) == "robin@staff.alpha.test"

    def test_a_district_without_domains_accepts_any(self, district_sso) -> None:
        district = DistrictFactory(sign_in_domains="")
        coordinator = UserFactory(email="dana@gmail.test")
        RoleAssignmentFactory(user=coordinator, role="district_coordinator", district=district)
        provider_user(district_sso, "d-3", email="dana@gmail.test", email_verified=True)
        client = Client()
        assert sign_in(client, "d-3").status_code == 302
        assert signed_in_as(client) == "dana@gmail.test"


# ---- the provider's own second factor -----------------------------------------------------


@pytest.mark.django_db
class TestProvidersSecondFactor:
    """Someone with an authenticator app who signs in through the district's provider is
    not asked for its code (the provider asked for its own factor), and a coordinator is not
    sent to set one up; a password sign-in still asks for the code."""

    def test_a_provider_sign_in_is_not_asked_for_a_code(self, district_sso, settings) -> None:
        settings.MFA_REQUIRED = True
        coordinator = RoleAssignmentFactory(user=UserFactory(email="dana@alpha.test")).user
        TOTP.activate(coordinator, pyotp.random_base32())
        provider_user(district_sso, "m-1", email="dana@alpha.test", email_verified=True)
        client = Client()
        response = sign_in(client, "m-1")
        assert response.status_code == 302 and response["Location"] == "/"
        assert signed_in_as(client) == "dana@alpha.test"
        assert client.get("/").status_code == 200

    def test_a_provider_sign_in_is_not_sent_to_set_one_up(self, district_sso, settings) -> None:
        settings.MFA_REQUIRED = True
        RoleAssignmentFactory(user=UserFactory(email="dana@alpha.test"))
        provider_user(district_sso, "m-2", email="dana@alpha.test", email_verified=True)
        client = Client()
        sign_in(client, "m-2")
        assert client.get("/").status_code == 200

    def test_a_password_sign_in_still_asks(self, district_sso, settings) -> None:
        settings.MFA_REQUIRED = True
        coordinator = RoleAssignmentFactory(user=UserFactory(email="dana@alpha.test")).user
        TOTP.activate(coordinator, pyotp.random_base32())
        client = Client()
        response = client.post(LOGIN, {"username": "dana@alpha.test", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
        assert signed_in_as(client) is None
