"""URLs of the programs app: disbursements."""

from django.urls import path

from programs.views import disbursements as views

urlpatterns = [
    path("penyaluran/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path("penyaluran/tambah/<int:enrolment>/", views.disbursement_add, name="disbursement_add"),
    path("penyaluran/<int:pk>/ubah/", views.disbursement_edit, name="disbursement_edit"),
]
