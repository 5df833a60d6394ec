from django.urls import path

from . import views

app_name = "observations"

urlpatterns = [
    path("observations/", views.index, name="index"),
    path("observations/tracker/<slug:slug>/", views.tracker_district, name="tracker-district"),
    path("observations/reminders/", views.reminders, name="reminders"),
    path(
        "observations/pairings/<uuid:uuid>/remind/<slug:kind>/",
        views.tracker_remind,
        name="tracker-remind",
    ),
    path("observations/quotes/", views.quote_list, name="quote-list"),
    path("observations/quotes/approve/", views.quote_approve_many, name="quote-approve-many"),
    path("observations/quotes/<uuid:uuid>/decide/", views.quote_decide, name="quote-decide"),
    path("observations/rubrics/", views.rubric_list, name="rubric-list"),
    path("observations/rubrics/new/", views.rubric_publish, name="rubric-publish"),
    path("observations/rubrics/<uuid:uuid>/", views.rubric_detail, name="rubric-detail"),
    path("observations/pairings/<uuid:uuid>/new/", views.new_observation, name="create"),
    path("observations/pairings/<uuid:uuid>/growth/", views.growth, name="growth"),
    path("observations/<uuid:uuid>/", views.detail, name="detail"),
    path("observations/<uuid:uuid>/save/", views.save, name="save"),
    path("observations/<uuid:uuid>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("observations/<uuid:uuid>/reopen/", views.reopen, name="reopen"),
    path("observations/<uuid:uuid>/quotes/", views.quote_consent, name="quote-consent"),
]
