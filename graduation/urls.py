from django.urls import path

from graduation.views import caseload, facilitators, graduations, monitoring, progress

app_name = "graduation"

urlpatterns = [
    path("", caseload.index, name="index"),
    path("daftar/", graduations.GraduationListView.as_view(), name="graduation_list"),
    path("kpm/", caseload.caseload, name="caseload"),
    path("kandidat/", caseload.candidates, name="candidates"),
    path("keluarga/<int:household_pk>/usulkan/", graduations.propose, name="propose"),
    path("<int:pk>/", graduations.GraduationDetailView.as_view(), name="graduation_detail"),
    path("<int:pk>/langkah/", graduations.take_step, name="graduation_step"),
    path("<int:pk>/pernyataan/", graduations.statement_download, name="statement_download"),
    path(
        "<int:pk>/bukti/<int:evidence_pk>/",
        graduations.evidence_download,
        name="evidence_download",
    ),
    path("capaian/", progress.progress, name="progress"),
    path("capaian/ekspor/", progress.progress_export, name="progress_export"),
    path("pemantauan/", monitoring.VisitListView.as_view(), name="visit_list"),
    path("pemantauan/<int:pk>/", monitoring.record_visit, name="visit_record"),
    path("pendamping/", facilitators.FacilitatorListView.as_view(), name="facilitator_list"),
    path("pendamping/tambah/", facilitators.facilitator_add, name="facilitator_add"),
    path(
        "pendamping/<int:pk>/",
        facilitators.FacilitatorDetailView.as_view(),
        name="facilitator_detail",
    ),
    path("pendamping/<int:pk>/ubah/", facilitators.facilitator_edit, name="facilitator_edit"),
    path("pendamping/<int:pk>/target/", facilitators.target_set, name="target_set"),
    path("penugasan/massal/", facilitators.assign_bulk, name="assign_bulk"),
    path("penugasan/impor/", facilitators.assign_file, name="assign_file"),
    path("penugasan/<int:pk>/akhiri/", facilitators.assignment_end, name="assignment_end"),
]
