from django.urls import path

from config.views import section_coming

app_name = "programs"

urlpatterns = [
    path("", section_coming("programs"), name="index"),
]
