from django.urls import path

from . import report_views, views

app_name = "pathways"

urlpatterns = [
    path("people/<uuid:uuid>/", views.person, name="person"),
    path(
        "people/<uuid:uuid>/milestones/<slug:kind>/new/",
        views.milestone_create,
        name="milestone-create",
    ),
    path(
        "people/milestones/<slug:kind>/<uuid:uuid>/edit/",
        views.milestone_update,
        name="milestone-update",
    ),
    path(
        "people/assessments/<uuid:uuid>/verify/",
        views.assessment_verify,
        name="assessment-verify",
    ),
    path(
        "people/milestones/<slug:kind>.<str:fmt>",
        views.milestone_export,
        name="milestone-export",
    ),
    path(
        "people/<uuid:uuid>/teacher-record/",
        views.teacher_record_link,
        name="teacher-record-link",
    ),
    path(
        "people/<uuid:uuid>/teacher-record/undo/",
        views.teacher_record_unlink,
        name="teacher-record-unlink",
    ),
    path("districts/<slug:slug>/pathway-rule/", views.district_rule, name="district-rule"),
    path("reports/pipeline/", report_views.pipeline_page, name="pipeline"),
    path("reports/pipeline/<slug:table>.csv", report_views.pipeline_csv, name="pipeline-csv"),
]
