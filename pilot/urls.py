"""The core's pages: cohorts, districts, schools, staff, roles, lockouts (namespace "pilot").

The site layer (``portal.urls``) mounts them beside the feature apps' pages."""

from django.urls import path

from pilot.views import cohorts, districts, jobs, lockouts, roles, staff

pilot_patterns = [
    path("cohorts/", cohorts.cohort_list, name="cohort-list"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort-create"),
    path("cohorts/<uuid:uuid>/edit/", cohorts.cohort_update, name="cohort-update"),
    path("cohorts/<uuid:uuid>/enroll/", cohorts.cohort_enroll, name="cohort-enroll"),
    path(
        "cohort-enrollments/<uuid:uuid>/withdraw/",
        cohorts.cohort_withdraw,
        name="cohort-withdraw",
    ),
    path("districts/", districts.district_list, name="district-list"),
    path("districts/new/", districts.district_create, name="district-create"),
    path("districts/<slug:slug>/", districts.district_detail, name="district-detail"),
    path("districts/<slug:slug>/edit/", districts.district_update, name="district-update"),
    path("districts/<slug:slug>/schools/new/", districts.school_create, name="school-create"),
    path("schools/<uuid:uuid>/edit/", districts.school_update, name="school-update"),
    path("staff/", staff.staff_list, name="staff-list"),
    path("staff/new/", staff.staff_create, name="staff-create"),
    path("staff/<uuid:uuid>/", staff.staff_detail, name="staff-detail"),
    path("staff/<uuid:uuid>/edit/", staff.staff_update, name="staff-update"),
    path("staff/<uuid:uuid>/active/", staff.staff_set_active, name="staff-set-active"),
    path("staff/<uuid:uuid>/invite/", staff.staff_invite, name="staff-invite"),
    path("staff/<uuid:uuid>/link-account/", staff.staff_link_account, name="staff-link-account"),
    path("account/link/<str:token>/", staff.account_link, name="account-link"),
    path("roles/", roles.role_list, name="role-list"),
    path("roles/new/", roles.role_create, name="role-create"),
    path("roles/<uuid:uuid>/revoke/", roles.role_revoke, name="role-revoke"),
    path("downloads/", jobs.job_list, name="job-list"),
    path("jobs/<uuid:uuid>/", jobs.job_detail, name="job-detail"),
    path("jobs/<uuid:uuid>/download/", jobs.job_download, name="job-download"),
    path("lockouts/", lockouts.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", lockouts.lockout_unlock, name="lockout-unlock"),
]
