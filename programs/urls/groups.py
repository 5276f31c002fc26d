"""URLs of the programs app: empowerment groups."""

from django.urls import path

from programs.views import groups as views

urlpatterns = [
    path("kelompok/", views.GroupListView.as_view(), name="group_list"),
    path("kelompok/tambah/", views.GroupCreateView.as_view(), name="group_add"),
    path("kelompok/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("kelompok/<int:pk>/ubah/", views.GroupUpdateView.as_view(), name="group_edit"),
    path("kelompok/<int:pk>/anggota/tambah/", views.group_member_add, name="group_member_add"),
    path(
        "kelompok/anggota/<int:pk>/keluar/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path(
        "kelompok/<int:pk>/perkembangan/tambah/",
        views.group_progress_add,
        name="group_progress_add",
    ),
]
