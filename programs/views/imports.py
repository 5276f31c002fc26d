"""Recipient-list imports on the web: upload with the program, the worker's check with every
row error and warning, confirm or cancel, the worker's import, the result and an error file.
Jobs are ``households.ImportJob`` rows of kind "enrolments" (``programs.services.imports``)."""

import tempfile

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh
from openpyxl import Workbook

from core.spreadsheets import neutralise
from core.views import get_object_for_user
from households.forms.imports import UploadLimitHandler
from households.models import ImportIssue
from households.models.imports import ImportStatus, IssueLevel
from programs.forms.imports import RecipientListUploadForm
from programs.services import imports as service

ISSUES_PER_PAGE = 50
RUNNING = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


def _job(request, pk):
    """The job inside the user's area (else 404), then the import permission (else 403)."""
    return get_object_for_user(request.user, service.list_jobs(), pk, "programs.import_enrolment")


def _running(job) -> bool:
    return job.status in RUNNING or job.waiting_for_worker


@csrf_exempt
@permission_required("programs.import_enrolment", raise_exception=True)
def list_upload(request):
    # The size limit applies while the upload streams in (see households.views.imports).
    if request.method == "POST":
        request.upload_handlers.insert(0, UploadLimitHandler(request))
    return _list_upload(request)


@csrf_protect
def _list_upload(request):
    form = RecipientListUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        too_large=getattr(request, "import_upload_too_large", False),
    )
    if request.method == "POST" and form.is_valid():
        job = service.start_list_import(
            user=request.user,
            program=form.cleaned_data["program"],
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
        return redirect("programs:list_import_detail", pk=job.pk)
    recent = service.list_jobs().for_user(request.user)[:10]
    return render(request, "programs/imports/upload.html", {"form": form, "recent": recent})


@require_GET
def list_import_detail(request, pk):
    job = _job(request, pk)
    context = {
        "job": job,
        "program": service.program_of(job),
        "running": _running(job),
        "preview": job.counts.get("preview"),
        "result": job.counts.get("result"),
    }
    if not context["running"]:
        issues = ImportIssue.objects.filter(job=job).order_by("row", "id")
        page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {"issues": page, "has_errors": issues.filter(level=IssueLevel.ERROR).exists()}
        )
    return render(request, "programs/imports/detail.html", context)


@require_GET
def list_import_progress(request, pk):
    job = _job(request, pk)
    if not _running(job) and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "programs/imports/progress.html", {"job": job, "running": _running(job)})


@require_POST
def list_import_confirm(request, pk):
    service.confirm_list_import(_job(request, pk), request.user)
    return redirect("programs:list_import_detail", pk=pk)


@require_POST
def list_import_cancel(request, pk):
    service.cancel_list_import(_job(request, pk))
    return redirect("programs:list_import_detail", pk=pk)


@require_GET
def list_import_issues(request, pk):
    """Every error and warning of the job as an .xlsx (row as Excel shows it, column, message)."""
    job = _job(request, pk)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Catatan impor"))
    sheet.append([_("Baris"), _("Kolom"), _("Tingkat"), _("Pesan")])
    levels = dict(IssueLevel.choices)
    for issue in ImportIssue.objects.filter(job=job).order_by("row", "id").iterator():
        sheet.append(
            [
                issue.row,
                neutralise(issue.column),
                str(levels[issue.level]),
                neutralise(issue.message),
            ]
        )
    # FileResponse closes the file once it is sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"catatan-impor-{job.pk}.xlsx")
