"""The sign-in page, the providers' start and return addresses, and the second-factor pages.

Only the parts of allauth the site uses are mounted: no sign-up, email, password or
re-authentication pages (Django's own serve sign-in, sign-out and passwords)."""

import functools
from collections.abc import Callable

from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from allauth.socialaccount import views as social_views
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.google import views as google
from allauth.socialaccount.providers.microsoft import views as microsoft
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from . import oidc, views


def configured_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A provider that is not configured (no client id in the environment) is not found,
    as allauth already answers for OpenID Connect, rather than a server error."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist as missing:
            raise Http404("This sign-in provider is not configured.") from missing

    return wrapped


def provider_patterns(slug: str, module: object) -> list:
    return [
        path(f"accounts/{slug}/login/", configured_only(module.oauth2_login), name=f"{slug}_login"),
        path(
            f"accounts/{slug}/login/callback/",
            configured_only(module.oauth2_callback),
            name=f"{slug}_callback",
        ),
    ]


urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    # The names allauth's pages link to: the same sign-in and Django's sign-out.
    path("accounts/login/", views.SignInView.as_view(), name="account_login"),
    path("accounts/logout/", LogoutView.as_view(), name="account_logout"),
    # Google's one-tap token page is left out: sign-in goes through the redirect only.
    *provider_patterns("google", google),
    *provider_patterns("microsoft", microsoft),
    # The district's own provider: allauth's views with the ID token fully checked (oidc).
    path("accounts/oidc/<str:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        oidc.callback,
        name="openid_connect_callback",
    ),
    path("accounts/sso/error/", social_views.login_error, name="socialaccount_login_error"),
    path(
        "accounts/sso/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/2fa/", mfa_views.index, name="mfa_index"),
    path("accounts/2fa/authenticate/", mfa_views.authenticate, name="mfa_authenticate"),
    path("accounts/2fa/totp/activate/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/totp/deactivate/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "accounts/2fa/recovery-codes/",
        recovery_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/generate/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/download/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    # Passkeys as a second factor (no passwordless sign-in, no re-authentication page).
    path("accounts/2fa/webauthn/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("accounts/2fa/webauthn/add/", webauthn_views.add_webauthn, name="mfa_add_webauthn"),
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/remove/",
        webauthn_views.remove_webauthn,
        name="mfa_remove_webauthn",
    ),
    path(
        "accounts/2fa/webauthn/keys/<int:pk>/edit/",
        webauthn_views.edit_webauthn,
        name="mfa_edit_webauthn",
    ),
    path(
        "accounts/second-factor/<uuid:uuid>/reset/",
        views.second_factor_reset,
        name="second-factor-reset",
    ),
]
