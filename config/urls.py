from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.forms import LoginForm
from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("akun/", include("accounts.urls")),
    path("", include("core.urls")),
    path("data/", include("households.urls")),
    path("program/", include("programs.urls")),
    path("rujukan/", include("referrals.urls")),
    path("pengaduan/", include("complaints.urls")),
    path("graduasi/", include("graduation.urls")),
    path("laporan/", include("information.urls")),
    path("admin/", admin.site.urls),
]
