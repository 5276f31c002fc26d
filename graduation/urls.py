from django.urls import path

from config.views import section_coming

app_name = "graduation"

urlpatterns = [
    path("", section_coming("graduation"), name="index"),
]
