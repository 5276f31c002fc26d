"""URLs of the programs app: enrolments."""

from django.urls import path

from programs.views import enrolments as views

urlpatterns = [
    path("kepesertaan/", views.EnrolmentListView.as_view(), name="enrolment_list"),
    path("kepesertaan/massal/", views.enrol_bulk, name="enrol_bulk"),
    path("kepesertaan/<int:pk>/", views.EnrolmentDetailView.as_view(), name="enrolment_detail"),
    path("kepesertaan/<int:pk>/status/", views.change_status, name="enrolment_status"),
    path("keluarga/<int:household_pk>/daftarkan/", views.enrol_household, name="enrol_household"),
]
