from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("pairings/", views.pairing_list, name="pairing-list"),
    path("pairings/new/", views.pairing_create, name="pairing-create"),
    path("pairings/export.<str:fmt>", views.pairing_export, name="pairing-export"),
    path("pairings/unpaired/", views.unpaired, name="unpaired"),
    path("pairings/<uuid:uuid>/", views.pairing_detail, name="pairing-detail"),
    path("pairings/<uuid:uuid>/edit/", views.pairing_update, name="pairing-update"),
    path("pairings/<uuid:uuid>/complete/", views.pairing_complete, name="pairing-complete"),
    path("pairings/<uuid:uuid>/end-early/", views.pairing_end_early, name="pairing-end-early"),
    path("pairings/<uuid:uuid>/sessions/new/", views.session_create, name="session-create"),
    path("pairings/<uuid:uuid>/goals/new/", views.goal_create, name="goal-create"),
    path("sessions/<uuid:uuid>/", views.session_detail, name="session-detail"),
    path("sessions/<uuid:uuid>/edit/", views.session_update, name="session-update"),
    path("goals/<uuid:uuid>/edit/", views.goal_update, name="goal-update"),
]
