"""URLs of the programs app: recipient-list imports."""

from django.urls import path

from programs.views import imports as views

urlpatterns = [
    path("impor/", views.list_upload, name="list_upload"),
    path("impor/<int:pk>/", views.list_import_detail, name="list_import_detail"),
    path("impor/<int:pk>/progres/", views.list_import_progress, name="list_import_progress"),
    path("impor/<int:pk>/konfirmasi/", views.list_import_confirm, name="list_import_confirm"),
    path("impor/<int:pk>/batal/", views.list_import_cancel, name="list_import_cancel"),
    path("impor/<int:pk>/catatan.xlsx", views.list_import_issues, name="list_import_issues"),
]
