"""The programs app's URLs, one module per feature (each has no ``app_name`` of its own, so its
names live in the ``programs`` namespace)."""

from django.urls import include, path

from programs.views.catalogue import ProgramListView

app_name = "programs"

urlpatterns = [
    path("", ProgramListView.as_view(), name="index"),
    path("", include("programs.urls.catalogue")),
    path("", include("programs.urls.enrolments")),
    path("", include("programs.urls.disbursements")),
    path("", include("programs.urls.groups")),
    path("", include("programs.urls.imports")),
    path("", include("programs.urls.synergy")),
]
