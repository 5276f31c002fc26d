"""URLs of the programs app: synergy."""

from django.urls import path

from programs.views import synergy as views

urlpatterns = [
    path("sinergi/", views.synergy, name="synergy"),
    path("sinergi/jumlah-program/", views.synergy_programs, name="synergy_programs"),
    path("sinergi/belum-terjangkau/", views.synergy_exclusion, name="synergy_exclusion"),
    path("sinergi/di-atas-batas/", views.synergy_inclusion, name="synergy_inclusion"),
    path("sinergi/cakupan/", views.synergy_coverage, name="synergy_coverage"),
    path("sinergi/sebaran-desa/", views.synergy_concentration, name="synergy_concentration"),
    path("sinergi/graduasi/", views.synergy_graduated, name="synergy_graduated"),
    path("sinergi/produktif/", views.synergy_productive, name="synergy_productive"),
]
