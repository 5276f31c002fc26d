from django.urls import path

from config.views import section_coming

app_name = "complaints"

urlpatterns = [
    path("", section_coming("complaints"), name="index"),
]
