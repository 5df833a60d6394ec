from django.contrib import admin
from django.urls import include, path

from pilot.views import accounts, cohorts, dashboard, districts, health, lockouts, roles, staff

pilot_patterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cohorts/", cohorts.cohort_list, name="cohort-list"),
    path("cohorts/new/", cohorts.CohortCreate.as_view(), name="cohort-create"),
    path("cohorts/<uuid:uuid>/edit/", cohorts.CohortUpdate.as_view(), name="cohort-update"),
    path("cohorts/<uuid:uuid>/enroll/", cohorts.cohort_enroll, name="cohort-enroll"),
    path(
        "cohort-enrollments/<uuid:uuid>/withdraw/",
        cohorts.cohort_withdraw,
        name="cohort-withdraw",
    ),
    path("districts/", districts.district_list, name="district-list"),
    path("districts/new/", districts.DistrictCreate.as_view(), name="district-create"),
    path("districts/<slug:slug>/", districts.district_detail, name="district-detail"),
    path("districts/<slug:slug>/edit/", districts.DistrictUpdate.as_view(), name="district-update"),
    path(
        "districts/<slug:slug>/schools/new/", districts.SchoolCreate.as_view(), name="school-create"
    ),
    path("schools/<uuid:uuid>/edit/", districts.SchoolUpdate.as_view(), name="school-update"),
    path("staff/", staff.staff_list, name="staff-list"),
    path("staff/new/", staff.StaffCreate.as_view(), name="staff-create"),
    path("staff/<uuid:uuid>/", staff.staff_detail, name="staff-detail"),
    path("staff/<uuid:uuid>/edit/", staff.StaffUpdate.as_view(), name="staff-update"),
    path("staff/<uuid:uuid>/active/", staff.staff_set_active, name="staff-set-active"),
    path("staff/<uuid:uuid>/invite/", staff.staff_invite, name="staff-invite"),
    path("staff/<uuid:uuid>/link-account/", staff.staff_link_account, name="staff-link-account"),
    path("account/link/<str:token>/", staff.account_link, name="account-link"),
    path("roles/", roles.role_list, name="role-list"),
    path("roles/new/", roles.role_create, name="role-create"),
    path("roles/<uuid:uuid>/revoke/", roles.role_revoke, name="role-revoke"),
    path("lockouts/", lockouts.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", lockouts.lockout_unlock, name="lockout-unlock"),
]

urlpatterns = [
    path("", include((pilot_patterns, "pilot"))),
    path("", include("pilot.imports.urls")),
    path("", include("mentoring.urls")),
    path("", include("coursework.urls")),
    path("", include("observations.urls")),
    path("", include("pilot.reports.urls")),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/password_reset/",
        accounts.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
