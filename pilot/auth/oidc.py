"""The district's OpenID Connect provider, with the ID token checked in full.

allauth's generic provider (65.21) sends no ``nonce`` and, when the ID token comes straight
from the token endpoint, skips its signature (OpenID Connect allows that over TLS). Here
every sign-in sends a fresh nonce, kept in allauth's state for this sign-in, and the ID
token must carry it and be signed with a key of the provider's JWKS (from discovery), for
this site (``aud``), from the configured issuer (``iss``) and unexpired (``exp``); the
decoding is allauth's ``jwtkit`` (PyJWT). A userinfo answer must be about the same ``sub``.
"""

import hmac
import secrets
from typing import Any

import jwt
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse

NONCE = "nonce"


def signing_key(id_token: str, jwks_uri: str) -> jwt.PyJWK:
    """The provider's key that signed ``id_token``: the one its header names (``kid``), or
    the only signing key of the set when the header names none."""
    kid = jwt.get_unverified_header(id_token).get("kid")
    keys = jwt.PyJWKClient(jwks_uri, cache_keys=False, timeout=10).get_signing_keys()
    matches = [k for k in keys if k.key_id == kid] if kid else keys
    if len(matches) != 1:
        raise OAuth2Error("No single key of the provider's key set matches the ID token.")
    return matches[0]


def verify_id_token(id_token: str, *, jwks_uri: str, issuer: str, audience: str) -> dict:
    """The claims of ``id_token`` once PyJWT has checked its signature (with the key's own
    algorithm: never ``none`` or a shared secret), issuer, audience and expiry; a token
    seen before (``jti``) is refused, as allauth does."""
    try:
        key = signing_key(id_token, jwks_uri)
        claims = jwt.decode(
            id_token,
            key=key.key,
            algorithms=[key.algorithm_name],
            audience=audience,
            issuer=issuer,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as error:
        raise OAuth2Error(f"Invalid ID token: {error}") from error
    jwtkit.verify_jti(claims)
    return claims


class CheckedIdTokenAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's adapter, with the nonce and the signature of the ID token checked."""

    expected_nonce: str | None = None

    def complete_login(self, request: HttpRequest, app: SocialApp, token: Any, **kwargs: Any):
        if not kwargs["response"].get("id_token"):
            raise OAuth2Error("The provider sent no ID token.")
        login = super().complete_login(request, app, token, **kwargs)
        data = login.account.extra_data
        userinfo, id_token = data.get("userinfo"), data["id_token"]
        if userinfo is not None and str(userinfo.get("sub")) != str(id_token.get("sub")):
            raise OAuth2Error("The userinfo answer is about another subject than the ID token.")
        return login

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        claims = verify_id_token(
            id_token,
            jwks_uri=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
        )
        nonce = claims.get(NONCE)
        if not (
            self.expected_nonce
            and isinstance(nonce, str)
            and hmac.compare_digest(nonce, self.expected_nonce)
        ):
            raise OAuth2Error("The ID token's nonce is not the one this sign-in sent.")
        return claims


class NonceProvider(OpenIDConnectProvider):
    """allauth's provider, sending a fresh nonce with each authorization request and
    keeping it in the sign-in's state (one use, bound to this browser's session)."""

    oauth2_adapter_class = CheckedIdTokenAdapter

    def redirect(self, request: HttpRequest, process: Any, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params[NONCE] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class CheckedCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the state's nonce to the adapter that checks it."""

    def _get_state(self, request: HttpRequest, provider: Any):
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get(NONCE)
        return state, response


def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2LoginView.adapter_view(CheckedIdTokenAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404("This sign-in provider is not configured.") from missing


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        adapter = CheckedIdTokenAdapter(request, provider_id)
        return CheckedCallbackView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404("This sign-in provider is not configured.") from missing
