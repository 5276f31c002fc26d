"""The programs app's URLs, one module per feature (each has no ``app_name`` of its own, so its
names live in the ``programs`` namespace)."""

from django.urls import include, path

from config.views import section_coming

app_name = "programs"

urlpatterns = [
    path("", section_coming("programs"), name="index"),
    path("", include("programs.urls.catalogue")),
    path("", include("programs.urls.enrolments")),
    path("", include("programs.urls.disbursements")),
    path("", include("programs.urls.groups")),
    path("", include("programs.urls.imports")),
    path("", include("programs.urls.synergy")),
]
