"""Coordinators and liaisons who signed in with a password set up a second factor before
anything else."""

from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from pilot.access import needs_second_factor

# What someone who must still set up a second factor may reach.
SET_UP_PAGES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "logout",
    "account_logout",
    "healthz",
}


def signed_in_with_password(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "password" for record in records)


def must_set_up_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return (
        settings.MFA_REQUIRED
        and user.is_authenticated
        and signed_in_with_password(request)
        and needs_second_factor(user)
        and not Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if must_set_up_second_factor(request) and not request.path.startswith(
            settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in SET_UP_PAGES:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
