from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("wilayah/pilihan/", views.region_options, name="region_options"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifikasi/baca-semua/", views.notifications_read_all, name="notifications_read_all"),
    path("log-akses/", views.access_log, name="access_log"),
    path("hari-libur/", views.holiday_list, name="holiday_list"),
    path("hari-libur/<int:pk>/hapus/", views.holiday_delete, name="holiday_delete"),
]
