"""The sign-in page, the providers' start and return addresses, and the second-factor pages.

Only the parts of allauth the site uses are mounted: no sign-up, email or password pages
(Django's own serve those)."""

from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.google.provider import GoogleProvider
from allauth.socialaccount.providers.microsoft.provider import MicrosoftGraphProvider
from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns
from allauth.socialaccount.providers.openid_connect.urls import urlpatterns as openid_connect
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from . import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    # The names allauth's pages link to: the same sign-in and Django's sign-out.
    path("accounts/login/", views.SignInView.as_view(), name="account_login"),
    path("accounts/logout/", LogoutView.as_view(), name="account_logout"),
    # Google's one-tap token page is left out: sign-in goes through the redirect only.
    path("accounts/", include(default_urlpatterns(GoogleProvider))),
    path("accounts/", include(default_urlpatterns(MicrosoftGraphProvider))),
    path("accounts/", include(openid_connect)),
    path(
        "accounts/sso/error/",
        social_views.login_error,
        name="socialaccount_login_error",
    ),
    path(
        "accounts/sso/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path(
        "accounts/second-factor/<uuid:uuid>/reset/",
        views.second_factor_reset,
        name="second-factor-reset",
    ),
]
