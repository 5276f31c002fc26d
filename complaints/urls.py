"""URLs of the complaints app: the public pages (no login) and the staff pages."""

from django.urls import path

from complaints.views import categories, patterns, public, staff

app_name = "complaints"

urlpatterns = [
    # Public (login_not_required): file, result, status check, appeal.
    path("lapor/", public.submit, name="public_submit"),
    path("lapor/terkirim/", public.received, name="public_received"),
    path("cek/", public.status, name="public_status"),
    path("banding/", public.appeal, name="public_appeal"),
    # Staff
    path("", staff.ComplaintListView.as_view(), name="complaint_list"),
    path("catat/", staff.staff_intake, name="complaint_add"),
    path("tutup/", staff.close_many, name="close_many"),
    path("pola/", patterns.pattern_page, name="patterns"),
    path("pola/unduh/<str:file_format>/", patterns.pattern_export, name="pattern_export"),
    path("kategori/", categories.CategoryListView.as_view(), name="category_list"),
    path("kategori/<slug:code>/", categories.CategoryEditView.as_view(), name="category_edit"),
    path("<int:pk>/", staff.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("<int:pk>/telaah/", staff.triage, name="complaint_triage"),
    path("<int:pk>/tugaskan/", staff.assign, name="complaint_assign"),
    path("<int:pk>/status/", staff.change_status, name="complaint_status"),
    path("<int:pk>/selesaikan/", staff.resolve, name="complaint_resolve"),
    path("<int:pk>/catatan/", staff.add_note, name="complaint_note"),
    path("<int:pk>/lampiran/", staff.attachment, name="complaint_attachment"),
    path("<int:pk>/rujukan/", staff.open_referral, name="complaint_refer"),
    path(
        "<int:pk>/usulan-data/<slug:slug>/", staff.propose_update, name="complaint_propose_update"
    ),
]
