"""The site's URLconf: the core's pages, each feature app's, and the site's own."""

from django.contrib import admin
from django.urls import include, path

from pilot.urls import pilot_patterns
from pilot.views import accounts, health
from portal import views

urlpatterns = [
    # The dashboard composes every app, so it is the site's; it keeps the core's namespace.
    path("", include(([path("", views.dashboard, name="dashboard"), *pilot_patterns], "pilot"))),
    path("", include("portal.imports.urls")),
    path("", include("mentoring.urls")),
    path("", include("coursework.urls")),
    path("", include("observations.urls")),
    path("", include("portal.reports.urls")),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/password_reset/",
        accounts.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
