from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url="/akun/kata-sandi/selesai/"),
        name="password_change",
    ),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("petugas/", views.StaffListView.as_view(), name="staff_list"),
    path("petugas/tambah/", views.StaffCreateView.as_view(), name="staff_create"),
    path("petugas/<int:pk>/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("petugas/<int:pk>/nonaktifkan/", views.staff_set_active, name="staff_set_active"),
]
