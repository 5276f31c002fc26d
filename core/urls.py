from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("pilihan/", views.region_options, name="region_options"),
]
