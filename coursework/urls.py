from django.urls import path

from .views import catalog, learners, offerings

app_name = "coursework"

urlpatterns = [
    # The catalog and degree plans: everyone signed in; liaisons edit their college's.
    path("coursework/courses/", catalog.course_list, name="course-list"),
    path("coursework/courses/new/", catalog.course_create, name="course-create"),
    path("coursework/courses/<uuid:uuid>/", catalog.course_detail, name="course-detail"),
    path("coursework/courses/<uuid:uuid>/edit/", catalog.course_update, name="course-update"),
    path("coursework/plans/new/", catalog.plan_create, name="plan-create"),
    path("coursework/plans/<uuid:uuid>/", catalog.plan_detail, name="plan-detail"),
    path("coursework/plans/<uuid:uuid>/edit/", catalog.plan_update, name="plan-update"),
    # The liaison's offerings, modules, enrollment and grades.
    path("coursework/offerings/", offerings.offering_list, name="offering-list"),
    path("coursework/offerings/new/", offerings.offering_create, name="offering-create"),
    path("coursework/offerings/<uuid:uuid>/", offerings.offering_detail, name="offering-detail"),
    path(
        "coursework/offerings/<uuid:uuid>/edit/", offerings.offering_update, name="offering-update"
    ),
    path(
        "coursework/offerings/<uuid:uuid>/modules/new/",
        offerings.module_create,
        name="module-create",
    ),
    path("coursework/modules/<uuid:uuid>/edit/", offerings.module_update, name="module-update"),
    path(
        "coursework/offerings/<uuid:uuid>/enroll/",
        offerings.offering_enroll,
        name="offering-enroll",
    ),
    path(
        "coursework/offerings/<uuid:uuid>/enrollments.<str:fmt>",
        offerings.offering_enrollments_export,
        name="offering-enrollments-export",
    ),
    path(
        "coursework/enrollments/export.<str:fmt>",
        offerings.enrollment_export,
        name="enrollment-export",
    ),
    path(
        "coursework/enrollments/<uuid:uuid>/drop/",
        offerings.enrollment_drop,
        name="enrollment-drop",
    ),
    path(
        "coursework/offerings/<uuid:uuid>/grades/",
        offerings.offering_grades,
        name="offering-grades",
    ),
    # Transfer credit: paraprofessionals submit it, liaisons verify it.
    path("coursework/transfer-credit/", offerings.transfer_list, name="transfer-list"),
    path("coursework/transfer-credit/new/", offerings.transfer_create, name="transfer-create"),
    path(
        "coursework/transfer-credit/<uuid:uuid>/verify/",
        offerings.transfer_verify,
        name="transfer-verify",
    ),
    path(
        "coursework/transfer-credit/<uuid:uuid>/decline/",
        offerings.transfer_decline,
        name="transfer-decline",
    ),
    # A paraprofessional's progress and transcript.
    path("coursework/progress/", learners.progress, name="progress"),
    path("coursework/progress/plan/", learners.declare_plan, name="declare-plan"),
    path("coursework/progress/<uuid:uuid>/", learners.progress_for, name="progress-for"),
    path(
        "coursework/enrollments/<uuid:uuid>/modules/<uuid:module_uuid>/",
        learners.module_done,
        name="module-done",
    ),
    path("coursework/transcripts/<uuid:uuid>/", learners.transcript, name="transcript"),
    path(
        "coursework/transcripts/<uuid:uuid>/transcript.csv",
        learners.transcript_csv,
        name="transcript-csv",
    ),
    path(
        "coursework/transcripts/<uuid:uuid>/transcript.pdf",
        learners.transcript_pdf,
        name="transcript-pdf",
    ),
    # Coordinators (and liaisons, for their students).
    path("coursework/learners/", learners.learner_list, name="learner-list"),
    path("coursework/report/", learners.report, name="report"),
]
