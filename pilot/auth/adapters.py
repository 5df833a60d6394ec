"""allauth adapters: nobody signs up here, and a provider signs in only an existing, active
account whose email it has verified."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render

from pilot.audit import log_access
from pilot.models import District, User

from .oidc import NonceProvider

# Microsoft's multi-tenant endpoints accept accounts from any organisation, whose
# administrators may give them any address: only a named tenant vouches for the email.
_SHARED_MICROSOFT_TENANTS = {"common", "organizations", "consumers"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # accounts come from coordinators (staff records, roles), never a form

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its code step replaced by one that a provider's sign-in
        skips (the district's provider asked for its own second factor)."""
        return [
            "pilot.auth.stages.PasswordSecondFactorStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


def provider_email(sociallogin: SocialLogin) -> tuple[str, bool]:
    """The email the provider gave, lowercased, and whether the provider vouches for it."""
    provider = sociallogin.account.provider
    if provider == "microsoft":
        email = (sociallogin.user.email or "") if sociallogin.user else ""
        tenant = settings.MICROSOFT_TENANT.strip().lower()
        return email.strip().lower(), bool(tenant) and tenant not in _SHARED_MICROSOFT_TENANTS
    addresses = list(sociallogin.email_addresses)
    for address in addresses:
        if address.verified:
            return address.email.strip().lower(), True
    email = addresses[0].email if addresses else ""
    return email.strip().lower(), False


def sign_in_domains(user: User) -> set[str]:
    """The email domains ``user``'s districts (as staff, or as district coordinator) accept
    for a provider's sign-in; empty when none of them lists any (then any domain will do)."""
    districts = District.objects.filter(Q(staff__user=user) | Q(coordinators__user=user)).exclude(
        sign_in_domains=""
    )
    return {domain for d in districts.distinct() for domain in d.sign_in_domain_list}


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request: HttpRequest, provider: str, client_id: str | None = None):
        """allauth's providers; the generic OpenID Connect one sends and checks a nonce and
        verifies the ID token's signature (``oidc``)."""
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            return NonceProvider(request, app=found.app)
        return found

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict | None = None,
    ) -> None:
        """A sign-in the provider's answer did not carry through (a forged or spent state,
        a spent code, an ID token that fails its checks, a cancel) is in the access log."""
        reason = str(exception) if exception else (error or "unknown error")
        log_access(
            request.user,
            "sso_refused",
            subject="(before the email was known)",
            detail=f"{provider.name}: {reason}",
        )

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        email, verified = provider_email(sociallogin)
        user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        if not email:
            reason = "the provider gave no email address"
        elif not verified:
            reason = "the provider has not verified the email address"
        elif user is None:
            reason = "no active account has this email address"
        elif sociallogin.is_existing and sociallogin.user.pk != user.pk:
            reason = "the provider's account is linked to another person"
        elif (domains := sign_in_domains(user)) and email.rpartition("@")[2] not in domains:
            reason = f"the district accepts sign-ins from {', '.join(sorted(domains))} only"
        else:
            if not sociallogin.is_existing:
                sociallogin.connect(request, user)
            return
        provider = sociallogin.account.get_provider()
        log_access(
            request.user,
            "sso_refused",
            subject=email or "(no email)",
            detail=f"{provider.name}: {reason}",
        )
        page = render(
            request,
            "registration/sso_refused.html",
            {"email": email, "provider": provider.name},
            status=403,
        )
        raise ImmediateHttpResponse(page)
