"""Registry import pages: upload, progress, preview, confirm / cancel / re-run, result, history,
the error report and the template download."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from core.search import search_data
from core.views import ScopedListView, get_object_for_user
from households.filtersets import ImportIssueFilterSet, ImportJobFilterSet
from households.forms.imports import ImportUploadForm, UploadLimitHandler
from households.models import ImportJob
from households.models.imports import REGISTRY_KIND, ImportStatus
from households.services import imports as services
from households.tables import ImportIssueTable, ImportJobTable

ISSUES_PER_PAGE = 50


def _jobs():
    return ImportJob.objects.filter(kind=REGISTRY_KIND).select_related("user")


class ImportJobListView(ScopedListView):
    permission_required = "households.view_importjob"
    template_name = "households/imports/job_list.html"
    table_class = ImportJobTable
    filterset_class = ImportJobFilterSet

    def get_base_queryset(self):
        return _jobs()


@csrf_exempt
@permission_required("households.add_importjob", raise_exception=True)
def import_upload(request):
    # The size limit is enforced while the upload streams in, which has to be set up before
    # anything reads the request body; the CSRF check then runs just after, in the inner view.
    if request.method == "POST":
        request.upload_handlers.insert(0, UploadLimitHandler(request))
    return _import_upload(request)


@csrf_protect
def _import_upload(request):
    if request.method == "POST":
        form = ImportUploadForm(
            request.POST,
            request.FILES,
            too_large=getattr(request, "import_upload_too_large", False),
        )
        if form.is_valid():
            job = services.start_import(user=request.user, upload=form.cleaned_data["file"])
            return redirect("households:import_detail", pk=job.pk)
    else:
        form = ImportUploadForm()
    recent = _jobs().for_user(request.user)[:5]
    return render(request, "households/imports/upload.html", {"form": form, "recent": recent})


@require_GET
def import_detail(request, pk):
    job = get_object_for_user(request.user, _jobs(), pk, "households.view_importjob")
    context = {
        "job": job,
        "can_change": request.user.has_perm("households.add_importjob"),
        "can_rerun": services.can_rerun(job),
        "running": _is_running(job),
        "progress": progress_figures(job),
        "preview": job.counts.get("preview"),
        "result": job.counts.get("result"),
        "same_file": _same_file_done(request.user, job),
    }
    if not context["running"]:
        context.update(_issue_context(request, job))
    return render(request, "households/imports/detail.html", context)


@require_GET
def import_progress(request, pk):
    """The progress partial the page polls; once the job has moved on, the page reloads."""
    job = get_object_for_user(request.user, _jobs(), pk, "households.view_importjob")
    if not _is_running(job) and request.htmx:
        return HttpResponseClientRefresh()
    return render(
        request,
        "households/imports/progress.html",
        {"job": job, "running": _is_running(job), **progress_figures(job)},
    )


@require_POST
def import_confirm(request, pk):
    job = get_object_for_user(request.user, _jobs(), pk, "households.add_importjob")
    if services.confirm_import(job, request.user):
        messages.success(request, _("Impor dikonfirmasi dan masuk antrean."))
    else:
        messages.error(request, _("Impor ini tidak bisa dikonfirmasi lagi."))
    return redirect("households:import_detail", pk=job.pk)


@require_POST
def import_cancel(request, pk):
    job = get_object_for_user(request.user, _jobs(), pk, "households.add_importjob")
    if services.cancel_import(job):
        messages.success(request, _("Impor dibatalkan; file yang diunggah sudah dihapus."))
    else:
        messages.error(
            request, _("Impor yang sudah dikonfirmasi atau selesai tidak bisa dibatalkan.")
        )
    return redirect("households:import_detail", pk=job.pk)


@require_POST
def import_rerun(request, pk):
    job = get_object_for_user(request.user, _jobs(), pk, "households.add_importjob")
    if services.rerun_import(job):
        messages.success(request, _("Impor dijalankan ulang."))
    else:
        messages.error(request, _("Impor ini tidak bisa dijalankan ulang."))
    return redirect("households:import_detail", pk=job.pk)


@require_GET
def import_error_report(request, pk):
    job = get_object_for_user(request.user, _jobs(), pk, "households.view_importjob")
    if not job.error_report:
        raise Http404
    try:
        handle = job.error_report.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    stem = job.original_name.rsplit(".", 1)[0]
    return FileResponse(handle, as_attachment=True, filename=f"kesalahan-{stem}.xlsx")


@permission_required("households.add_importjob", raise_exception=True)
@require_GET
def import_template(request):
    from households.error_report import write_template

    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="templat-registri-terpadu.xlsx")


def _is_running(job) -> bool:
    return job.status in services.RUNNING or (
        job.status == ImportStatus.VALIDATED and job.confirmed_at is not None
    )


def progress_figures(job) -> dict:
    """What the progress bar says. The engine reports rows while it reads; after the last
    report it checks across rows (and, importing, writes in one transaction) without further
    reports, so once the rows are read the label says what is happening instead."""
    from households.importer import PROGRESS_EVERY

    total = job.rows_total
    queued = job.status == ImportStatus.UPLOADED or (
        job.status == ImportStatus.VALIDATED and job.confirmed_at is not None
    )
    percent = min(99, job.rows_read * 100 // total) if total and not queued else 0
    read_all = bool(job.rows_read) and total - job.rows_read < PROGRESS_EVERY
    if queued:
        phase = _("Menunggu giliran di antrean…")
    elif job.status == ImportStatus.IMPORTING and read_all:
        phase = _("Menyimpan ke registri (satu transaksi; tunggu sampai selesai)…")
    elif job.status == ImportStatus.IMPORTING:
        phase = _("Membaca file untuk diimpor…")
    elif read_all:
        phase = _("Memeriksa antarbaris dan terhadap registri…")
    else:
        phase = _("Memeriksa file…")
    return {"phase": phase, "percent": percent}


def _issue_context(request, job) -> dict:
    counts = job.counts.get("result") or job.counts.get("preview") or {}
    filterset = ImportIssueFilterSet(
        search_data(request) or None,
        queryset=job.issues.order_by("row", "id"),
        columns=counts.get("issue_columns", ()),
    )
    page = Paginator(filterset.qs, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    table = ImportIssueTable(page.object_list)
    return {"issue_filter": filterset, "issue_table": table, "page_obj": page}


def _same_file_done(user, job):
    if not job.file_sha256:
        return None
    return (
        _jobs()
        .for_user(user)
        .filter(file_sha256=job.file_sha256, status=ImportStatus.DONE)
        .exclude(pk=job.pk)
        .first()
    )


urlpatterns = [
    path("impor/", ImportJobListView.as_view(), name="import_list"),
    path("impor/unggah/", import_upload, name="import_upload"),
    path("impor/templat/", import_template, name="import_template"),
    path("impor/<int:pk>/", import_detail, name="import_detail"),
    path("impor/<int:pk>/progres/", import_progress, name="import_progress"),
    path("impor/<int:pk>/konfirmasi/", import_confirm, name="import_confirm"),
    path("impor/<int:pk>/batal/", import_cancel, name="import_cancel"),
    path("impor/<int:pk>/ulang/", import_rerun, name="import_rerun"),
    path("impor/<int:pk>/laporan-kesalahan/", import_error_report, name="import_error_report"),
]
