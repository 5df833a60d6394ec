"""allauth adapters: nobody signs up here, and a provider signs in only an existing, active
account whose email it has verified."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render

from pilot.audit import log_access
from pilot.models import User

# Microsoft's multi-tenant endpoints accept accounts from any organisation, whose
# administrators may give them any address: only a named tenant vouches for the email.
_SHARED_MICROSOFT_TENANTS = {"common", "organizations", "consumers"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # accounts come from coordinators (staff records, roles), never a form


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


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
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
