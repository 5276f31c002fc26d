"""Program list imports as jobs: the registry import's job record (``households.ImportJob``)
and its steps — upload, check in the worker (a dry run whose every row error and warning is
kept as ``ImportIssue``), the user confirms, import in the worker. Two kinds of list:

* ``kind="enrolments"``: a recipient list into enrolments (``programs.importer``);
* ``kind="disbursements"``: a bank/PT Pos distribution result into disbursements
  (``programs.importer.disbursements``).

The program is in ``options``; both kinds share the tasks, pages and error file."""

import hashlib
import logging
import uuid
from pathlib import Path

from celery import current_app
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.claims import claim
from core.scope import area_of
from households.importer.errors import FileRejected
from households.models import ImportIssue, ImportJob
from households.models.imports import ImportStatus, IssueLevel
from households.services.imports import Heartbeat, JobCancelled, remove_upload
from programs.models import Program

logger = logging.getLogger(__name__)

KIND = "enrolments"
DISBURSEMENTS = "disbursements"
KINDS = (KIND, DISBURSEMENTS)
CHECK_TASK = "programs.check_recipient_list"
RUN_TASK = "programs.import_recipient_list"


def list_jobs():
    return ImportJob.objects.filter(kind__in=KINDS).select_related("user")


def engine(kind: str):
    """The engine that checks and imports a job of ``kind``."""
    if kind == DISBURSEMENTS:
        from programs.importer.disbursements import process
    else:
        from programs.importer import process
    return process


def program_of(job: ImportJob) -> Program | None:
    return Program.objects.filter(code=job.options.get("program")).first()


def start_list_import(*, user, program: Program, upload, kind: str = KIND) -> ImportJob:
    suffix = Path(upload.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            kind=kind if kind in KINDS else KIND,
            options={"program": program.code},
            original_name=Path(upload.name).name[:255],
            file_sha256=digest.hexdigest(),
            user=user,
            area_code=area_of(user) or "",
        )
        job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        job.save()
        _send_after_commit(CHECK_TASK, job)
    return job


def confirm_list_import(job: ImportJob, user) -> bool:
    with transaction.atomic():
        changed = ImportJob.objects.filter(
            pk=job.pk, kind__in=KINDS, status=ImportStatus.VALIDATED, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now(), confirmed_by=user, updated_at=timezone.now())
        if changed:
            _send_after_commit(RUN_TASK, job)
    return bool(changed)


def cancel_list_import(job: ImportJob) -> bool:
    changed = ImportJob.objects.filter(
        pk=job.pk,
        kind__in=KINDS,
        status__in=(ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.VALIDATED),
        confirmed_at__isnull=True,
    ).update(
        status=ImportStatus.CANCELLED,
        message=_("Dibatalkan oleh pengguna."),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if changed:
        remove_upload(job)
    return bool(changed)


def _send_after_commit(task_name: str, job: ImportJob) -> None:
    task_id = str(uuid.uuid4())
    ImportJob.objects.filter(pk=job.pk).update(task_id=task_id)
    transaction.on_commit(lambda: current_app.send_task(task_name, args=[job.pk], task_id=task_id))


def _store_issues(job: ImportJob, report) -> None:
    ImportIssue.objects.filter(job=job).delete()
    ImportIssue.objects.bulk_create(
        (
            ImportIssue(
                job=job, row=issue.row, column=issue.column[:64], level=level, message=issue.message
            )
            for level, issues in (
                (IssueLevel.ERROR, report.errors),
                (IssueLevel.WARNING, report.warnings),
            )
            for issue in issues
        ),
        batch_size=1000,
    )


def _counts(report) -> dict:
    data = report.as_json()
    return {
        **{key: data[key] for key in ("rows", "created", "updated", "unchanged", "skipped_empty")},
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }


def _fail(job_id, from_status, message):
    claim(
        ImportJob.objects.all(),
        job_id,
        from_status,
        status=ImportStatus.FAILED,
        message=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _step(job_id: int, *, dry_run: bool) -> None:
    running = ImportStatus.VALIDATING if dry_run else ImportStatus.IMPORTING
    ready = ImportStatus.UPLOADED if dry_run else ImportStatus.VALIDATED
    conditions = {} if dry_run else {"confirmed_at__isnull": False}
    if not ImportJob.objects.filter(pk=job_id, kind__in=KINDS, status=ready, **conditions).update(
        status=running, updated_at=timezone.now()
    ):
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    program = program_of(job)
    if program is None:
        _fail(job_id, running, _("Program impor ini sudah tidak ada."))
        return
    try:
        with Heartbeat(job_id, running, cancellable=dry_run) as heartbeat:
            report = engine(job.kind)(
                job.file.path,
                program=program,
                user=job.user,
                dry_run=dry_run,
                original_name=job.original_name,
                progress=heartbeat.progress,
            )
    except JobCancelled:
        return
    except FileRejected as rejected:
        _fail(job_id, running, str(rejected))
        remove_upload(job)
        return
    except Exception:
        logger.exception("program list job %s failed", job_id)
        _fail(
            job_id,
            running,
            _(
                "Impor berhenti karena kesalahan sistem; tidak ada data yang tersimpan dari "
                "langkah ini. Unggah ulang, atau hubungi admin sistem bila terulang."
            ),
        )
        return
    _store_issues(job, report)
    counts = {**job.counts, ("preview" if dry_run else "result"): _counts(report)}
    if not dry_run:
        # The rows are committed: the list (personal data) goes before the job says "done".
        remove_upload(job)
    claim(
        ImportJob.objects.all(),
        job_id,
        running,
        status=ImportStatus.VALIDATED if dry_run else ImportStatus.DONE,
        counts=counts,
        rows_total=report.rows,
        rows_read=report.rows,
        updated_at=timezone.now(),
        **({} if dry_run else {"finished_at": timezone.now()}),
    )


def check_list_job(job_id: int) -> None:
    """The worker's check: a dry run that records every row's error and warning."""
    _step(job_id, dry_run=True)


def run_list_job(job_id: int) -> None:
    """The worker's import of a confirmed list."""
    _step(job_id, dry_run=False)
