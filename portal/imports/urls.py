from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/oneroster/", views.oneroster, name="oneroster"),
    path("imports/templates/<slug:kind>.<str:fmt>", views.template_file, name="template"),
    path("imports/<uuid:uuid>/", views.run_detail, name="run"),
    path("imports/<uuid:uuid>/confirm/", views.run_confirm, name="confirm"),
    path("staff/export.<str:fmt>", views.staff_export, name="staff-export"),
]
