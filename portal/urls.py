"""The site's URLconf: the core's pages, each feature app's, and the site's own."""

from django.contrib import admin
from django.urls import include, path

from pilot.auth import urls as auth_urls
from pilot.urls import pilot_patterns
from pilot.views import accounts, health
from portal import rollover, views

urlpatterns = [
    # The dashboard composes every app, so it is the site's; it keeps the core's namespace.
    # The rollover composes the core and mentoring, so it is the site's too.
    path(
        "",
        include(
            (
                [
                    path("", views.dashboard, name="dashboard"),
                    path(
                        "cohorts/<uuid:uuid>/rollover/", rollover.rollover, name="cohort-rollover"
                    ),
                    *pilot_patterns,
                ],
                "pilot",
            )
        ),
    ),
    path("", include("portal.imports.urls")),
    path("", include("mentoring.urls")),
    path("", include("coursework.urls")),
    path("", include("observations.urls")),
    path("", include("pathways.urls")),
    path("", include("portal.reports.urls")),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/password_reset/",
        accounts.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    *auth_urls.urlpatterns,
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
