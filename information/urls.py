from django.urls import path

from information.views import reports

app_name = "information"

urlpatterns = [
    path("", reports.index, name="index"),
    path("<int:pk>/", reports.report_detail, name="report_detail"),
    path("<int:pk>/progres/", reports.report_progress, name="report_progress"),
    path("<int:pk>/unduh/", reports.report_download, name="report_download"),
]
