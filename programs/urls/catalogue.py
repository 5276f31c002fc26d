"""URLs of the programs app: catalogue (programs, targets, PKH benefit table, agencies). The
catalogue list itself is the section's ``index`` (``programs/urls/__init__.py``)."""

from django.urls import path

from programs.views import catalogue as views

urlpatterns = [
    path("program/tambah/", views.ProgramCreateView.as_view(), name="program_add"),
    path("program/<int:pk>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("program/<int:pk>/ubah/", views.ProgramUpdateView.as_view(), name="program_edit"),
    path("program/<int:pk>/target/", views.ProgramTargetsView.as_view(), name="program_targets"),
    path("nilai-pkh/", views.BenefitRateView.as_view(), name="benefit_rates"),
    path("nilai-pkh/salin/", views.benefit_rate_copy, name="benefit_rate_copy"),
    path("nilai-pkh/<int:year>/ubah/", views.benefit_rate_edit, name="benefit_rate_edit"),
    path("lembaga/", views.AgencyListView.as_view(), name="agency_list"),
    path("lembaga/tambah/", views.AgencyCreateView.as_view(), name="agency_add"),
    path("lembaga/<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("lembaga/<int:pk>/ubah/", views.AgencyUpdateView.as_view(), name="agency_edit"),
    path("lembaga/<int:pk>/petugas/", views.agency_staff_add, name="agency_staff_add"),
    path("lembaga/petugas/<int:pk>/lepas/", views.agency_staff_remove, name="agency_staff_remove"),
]
