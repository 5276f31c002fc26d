from django.urls import path

from referrals.views import intakes, referrals, setup

app_name = "referrals"

urlpatterns = [
    path("", referrals.index, name="index"),
    path("layanan/", intakes.IntakeListView.as_view(), name="intake_list"),
    path("layanan/baru/", intakes.intake_add, name="intake_add"),
    path("layanan/<int:pk>/", intakes.IntakeDetailView.as_view(), name="intake_detail"),
    path("layanan/<int:pk>/rujuk/<int:need_pk>/", intakes.refer, name="refer"),
    path("daftar/", referrals.ReferralListView.as_view(), name="referral_list"),
    path("masuk/", referrals.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral_detail"),
    path("<int:pk>/langkah/<slug:step>/", referrals.referral_step, name="referral_step"),
    path("<int:pk>/surat/", referrals.referral_letter, name="referral_letter"),
    path("puskesos/", setup.ServicePointListView.as_view(), name="service_point_list"),
    path("puskesos/baru/", setup.ServicePointCreateView.as_view(), name="service_point_add"),
    path(
        "puskesos/<int:pk>/ubah/",
        setup.ServicePointUpdateView.as_view(),
        name="service_point_edit",
    ),
    path("batas-waktu/", setup.service_levels, name="service_levels"),
    path("log-harian/", setup.service_log, name="service_log"),
]
