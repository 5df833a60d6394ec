from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/tables/<slug:slug>.csv", views.table_csv, name="table-csv"),
    path("reports/pilot/", views.pilot, name="pilot"),
    path("reports/pilot/report.pdf", views.pilot_pdf, name="pilot-pdf"),
    path("reports/pilot/report.pdf/prepare", views.pilot_pdf_start, name="pilot-pdf-start"),
    path("reports/pilot/tables/<slug:slug>.csv", views.pilot_table_csv, name="pilot-table-csv"),
]
