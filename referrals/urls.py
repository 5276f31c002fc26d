from django.urls import path

from config.views import section_coming

app_name = "referrals"

urlpatterns = [
    path("", section_coming("referrals"), name="index"),
]
