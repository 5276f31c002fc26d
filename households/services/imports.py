"""Registry import jobs (impor registri): the state machine of a web import and its services.

uploaded → validating → validated → (confirmed) importing → done, or failed / cancelled.

Every step is a claim: ``filter(pk=…, status=<from>).update(status=<to>)`` that goes on only when
exactly one row changed, so a task delivered twice, a double click, or the clean-up racing a
worker never run the same step twice. Tasks are sent after the transaction that made the job
commits, and carry the job id only.
"""

import hashlib
import logging
import re
import threading
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import area_of
from households.choices import ChangeAction
from households.models import ChangeLog, ImportIssue, ImportJob
from households.models.imports import ImportStatus, IssueLevel

# The worker steps by task name (``households/tasks.py`` registers them under these names):
# the tasks call this module, so it sends them by name instead of importing the tasks.
VALIDATE_TASK = "households.tasks.validate_import"
RUN_TASK = "households.tasks.run_import"

logger = logging.getLogger(__name__)

RUNNING = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)
FINISHED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)
CANCELLABLE = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.VALIDATED)

# The numbers of an ImportReport a job keeps (the rows of errors and warnings live in ImportIssue).
REPORT_COUNTS = (
    "rows",
    "households_created",
    "households_updated",
    "members_created",
    "members_updated",
    "unchanged",
    "skipped_empty",
    "families_held_back",
)

HEARTBEAT_SECONDS = 1.0


class JobCancelled(Exception):
    """Raised inside the engine's progress callback when the user cancelled a running check."""


# --- starting, confirming, cancelling, re-running (called by the views) -------------------------


def start_import(*, user, upload) -> ImportJob:
    """Store an uploaded file as a new job of the user's area and queue its check."""
    suffix = Path(upload.name).suffix.lower()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob(
            original_name=Path(upload.name).name[:255],
            file_sha256=digest.hexdigest(),
            user=user,
            area_code=area_of(user) or "",
        )
        # A random stored name: the original name is kept on the job, never used as a path.
        job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
        job.rows_total = estimate_rows(job.file.path, suffix)
        job.save()
        _send_after_commit(VALIDATE_TASK, job)
    return job


def confirm_import(job: ImportJob, user) -> bool:
    """The user accepts the preview: queue the import. False when the job is not waiting."""
    with transaction.atomic():
        changed = ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.VALIDATED, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now(), confirmed_by=user, updated_at=timezone.now())
        if changed:
            _send_after_commit(RUN_TASK, job)
    return bool(changed)


def cancel_import(job: ImportJob) -> bool:
    """Cancel a job that has not been confirmed; a running check stops at its next heartbeat."""
    changed = ImportJob.objects.filter(
        pk=job.pk, status__in=CANCELLABLE, confirmed_at__isnull=True
    ).update(
        status=ImportStatus.CANCELLED,
        message=_("Dibatalkan oleh pengguna."),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if changed:
        remove_upload(job)
    return bool(changed)


def can_rerun(job: ImportJob) -> bool:
    return job.status == ImportStatus.FAILED and bool(job.file)


def rerun_import(job: ImportJob) -> bool:
    """Run a failed job again from the step that failed: the check, or the confirmed import.

    Safe because the engine is idempotent: families already imported are found unchanged."""
    if not job.file:
        return False
    with transaction.atomic():
        if job.confirmed_at:
            target, task = ImportStatus.VALIDATED, RUN_TASK
        else:
            target, task = ImportStatus.UPLOADED, VALIDATE_TASK
        changed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).update(
            status=target, message="", finished_at=None, updated_at=timezone.now()
        )
        if changed:
            _send_after_commit(task, job)
    return bool(changed)


def _send_after_commit(task_name: str, job: ImportJob) -> None:
    # The task id is stored with the job in the same transaction, so the job always names the
    # task that works on it; the task itself is sent only once the job row is visible to it.
    task_id = str(uuid.uuid4())
    ImportJob.objects.filter(pk=job.pk).update(task_id=task_id)
    job.task_id = task_id
    transaction.on_commit(lambda: current_app.send_task(task_name, args=[job.pk], task_id=task_id))


# --- the two worker steps (called by the tasks) --------------------------------------------------


def validate_job(job_id: int) -> None:
    """Check the file without writing to the registry: counts, issues, the error report."""
    from households.importer import FileRejected, process

    if not _claim(job_id, ImportStatus.UPLOADED, ImportStatus.VALIDATING):
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.issues.all().delete()
    try:
        with Heartbeat(job_id, ImportStatus.VALIDATING, cancellable=True) as heartbeat:
            report = process(
                job.file.path,
                user=job.user,
                dry_run=True,
                job=job,
                progress=heartbeat.progress,
                original_name=job.original_name,
            )
    except JobCancelled:
        return
    except FileRejected as rejected:
        _finish(job_id, ImportStatus.VALIDATING, ImportStatus.FAILED, message=str(rejected))
        remove_upload(job)
        return
    except Exception:
        logger.exception("import job %s: check failed", job_id)
        _finish(
            job_id,
            ImportStatus.VALIDATING,
            ImportStatus.FAILED,
            message=_(
                "Pemeriksaan berhenti karena kesalahan sistem. Tidak ada data registri yang "
                "diubah. Jalankan ulang, atau hubungi admin sistem bila terulang."
            ),
        )
        return
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.VALIDATING).exists():
        return  # cancelled while the engine was finishing
    counts = {**job.counts, "preview": summarise(report, job)}
    _write_error_report(job)
    _finish(
        job_id,
        ImportStatus.VALIDATING,
        ImportStatus.VALIDATED,
        counts=counts,
        rows_total=report.rows,
        rows_read=report.rows,
        finished_at=None,
    )


def run_job(job_id: int) -> None:
    """Import a confirmed job into the registry."""
    from households.importer import FileRejected, process

    if not _claim(
        job_id, ImportStatus.VALIDATED, ImportStatus.IMPORTING, confirmed_at__isnull=False
    ):
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    # The import pass records the issues again against the registry as it is now.
    job.issues.all().delete()
    try:
        with Heartbeat(job_id, ImportStatus.IMPORTING) as heartbeat:
            report = process(
                job.file.path,
                user=job.user,
                dry_run=False,
                job=job,
                progress=heartbeat.progress,
                original_name=job.original_name,
            )
    except FileRejected as rejected:
        _finish(job_id, ImportStatus.IMPORTING, ImportStatus.FAILED, message=str(rejected))
        remove_upload(job)
        return
    except Exception:
        logger.exception("import job %s: import failed", job_id)
        _finish(
            job_id,
            ImportStatus.IMPORTING,
            ImportStatus.FAILED,
            message=interrupted_message(job, _("Impor berhenti karena kesalahan sistem.")),
        )
        return
    counts = {**job.counts, "result": summarise(report, job)}
    _write_error_report(job)
    # The rows are committed: the spreadsheet (personal data) goes before the job says "done",
    # so nobody ever sees a finished job that still holds its file.
    remove_upload(job)
    _finish(job_id, ImportStatus.IMPORTING, ImportStatus.DONE, counts=counts)


def summarise(report, job: ImportJob) -> dict:
    levels = dict(
        ImportIssue.objects.filter(job=job)
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    columns = list(
        ImportIssue.objects.filter(job=job)
        .exclude(column="")
        .values_list("column", flat=True)
        .distinct()
        .order_by("column")
    )
    return {
        **{name: getattr(report, name) for name in REPORT_COUNTS},
        "unknown_columns": list(report.unknown_columns),
        "errors": levels.get(IssueLevel.ERROR, 0),
        "warnings": levels.get(IssueLevel.WARNING, 0),
        "issue_columns": columns,
    }


def done_so_far(job: ImportJob) -> dict:
    """What an interrupted import had already written, from the history rows it left."""
    return ChangeLog.objects.filter(import_job=job).aggregate(
        households_created=Count("id", filter=Q(action=ChangeAction.CREATE, member__isnull=True)),
        members_created=Count("id", filter=Q(action=ChangeAction.CREATE, member__isnull=False)),
        households_updated=Count(
            "household_id", filter=Q(action=ChangeAction.UPDATE), distinct=True
        ),
    )


def interrupted_message(job: ImportJob, reason: str) -> str:
    done = done_so_far(job)
    return _(
        "%(reason)s Sebelum berhenti: %(hc)s keluarga baru dan %(mc)s anggota baru tersimpan, "
        "%(hu)s keluarga diubah; setiap keluarga tersimpan utuh atau tidak sama sekali. "
        "Jalankan ulang untuk menyelesaikan: keluarga yang sudah masuk tidak akan berubah lagi."
    ) % {
        "reason": reason,
        "hc": done["households_created"],
        "mc": done["members_created"],
        "hu": done["households_updated"],
    }


def _claim(job_id: int, from_status: str, to_status: str, **conditions) -> bool:
    return (
        ImportJob.objects.filter(pk=job_id, status=from_status, **conditions).update(
            status=to_status, updated_at=timezone.now()
        )
        == 1
    )


def _finish(job_id: int, from_status: str, to_status: str, **fields) -> bool:
    now = timezone.now()
    if to_status in FINISHED:
        fields.setdefault("finished_at", now)
    return bool(
        ImportJob.objects.filter(pk=job_id, status=from_status).update(
            status=to_status, updated_at=now, **fields
        )
    )


class Heartbeat:
    """Writes the job's progress, and so its ``updated_at``, from a thread of its own.

    The engine may hold long transactions in the main thread: progress written there would stay
    invisible until commit and would lock the job row. This thread has its own connection, so
    the progress bar moves while the worker runs, and it stops exactly when the worker process
    dies, which is how the clean-up tells a dead import from a slow one. A check that the user
    cancelled stops at the engine's next progress call."""

    def __init__(self, job_id: int, status: str, *, cancellable: bool = False):
        self.job_id = job_id
        self.status = status
        self.cancellable = cancellable
        self.rows_read = 0
        self.families_checked = 0
        self.cancelled = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-{job_id}", daemon=True)

    def progress(self, rows_read: int, families_checked: int) -> None:
        self.rows_read = rows_read
        self.families_checked = families_checked
        if self.cancelled:
            raise JobCancelled

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        return False

    def _run(self):
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    self._beat()
                except DatabaseError:
                    # A lost connection must not silence the heartbeat for good (the clean-up
                    # would then fail a live import): reconnect on the next beat.
                    logger.warning("import job %s: heartbeat not written", self.job_id)
                    connections.close_all()
        finally:
            connections.close_all()

    def _beat(self):
        changed = ImportJob.objects.filter(pk=self.job_id, status=self.status).update(
            rows_read=self.rows_read,
            families_checked=self.families_checked,
            updated_at=timezone.now(),
        )
        if not changed and self.cancellable:
            self.cancelled = True


# --- files -----------------------------------------------------------------------------------


def remove_upload(job: ImportJob) -> None:
    """Delete the uploaded spreadsheet: it holds personal data and is not needed any more."""
    job.refresh_from_db(fields=["file"])
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _write_error_report(job: ImportJob) -> None:
    """(Re)write the job's error report; a job without issues has none. A failure here is
    logged and leaves the job without a report: the preview on screen still lists every issue."""
    from households.error_report import write_error_report

    job.refresh_from_db(fields=["error_report", "file"])
    if job.error_report:
        job.error_report.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(error_report="")
    if not ImportIssue.objects.filter(job=job).exists():
        return
    name = f"{job.error_report.field.upload_to}{uuid.uuid4().hex}.xlsx"
    path = Path(job.error_report.storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_error_report(job, path)
    except Exception:
        logger.exception("import job %s: error report not written", job.pk)
        path.unlink(missing_ok=True)
        return
    ImportJob.objects.filter(pk=job.pk).update(error_report=name)


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(path: str, suffix: str) -> int:
    """Roughly how many rows a file has, for the progress bar before the check has counted them:
    the sheet's stored dimension for .xlsx, the line count for .csv; 0 when unknown."""
    try:
        if suffix == ".csv":
            lines = 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
            return max(lines - 1, 0)
        with zipfile.ZipFile(path) as archive:
            sheets = sorted(
                name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")
            )
            if not sheets:
                return 0
            with archive.open(sheets[0]) as sheet:
                match = _DIMENSION.search(sheet.read(4096))
            return max(int(match.group(1)) - 1, 0) if match else 0
    except (OSError, zipfile.BadZipFile, ValueError):
        return 0


# --- the scheduled clean-up --------------------------------------------------------------------


def clean_up_jobs(now=None) -> dict:
    """Cancel abandoned previews, fail imports whose worker died, remove files no longer needed.

    Runs from Celery beat; every step is a claim, so it is safe next to running workers."""
    now = now or timezone.now()
    abandoned_before = now - timedelta(hours=settings.IMPORT_ABANDON_HOURS)
    stale_before = now - timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    result = {"cancelled": 0, "failed": 0, "files_removed": 0}

    for job in ImportJob.objects.filter(
        status=ImportStatus.VALIDATED, confirmed_at__isnull=True, updated_at__lt=abandoned_before
    ):
        if ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.VALIDATED, confirmed_at__isnull=True
        ).update(
            status=ImportStatus.CANCELLED,
            message=_("Dibatalkan otomatis: pratinjau tidak dikonfirmasi dalam %(hours)s jam.")
            % {"hours": settings.IMPORT_ABANDON_HOURS},
            finished_at=now,
            updated_at=now,
        ):
            remove_upload(job)
            result["cancelled"] += 1

    # A running step's heartbeat stops only when its worker died; a queued step (uploaded, or
    # confirmed and waiting) may wait behind other imports, so it gets the abandon period.
    stuck = [
        (ImportStatus.VALIDATING, stale_before, {}),
        (ImportStatus.IMPORTING, stale_before, {}),
        (ImportStatus.UPLOADED, abandoned_before, {}),
        (ImportStatus.VALIDATED, abandoned_before, {"confirmed_at__isnull": False}),
    ]
    for status, before, conditions in stuck:
        for job in ImportJob.objects.filter(status=status, updated_at__lt=before, **conditions):
            if status == ImportStatus.IMPORTING:
                message = interrupted_message(job, _("Impor terhenti: proses worker berhenti."))
            elif status == ImportStatus.VALIDATING:
                message = _(
                    "Pemeriksaan terhenti: proses worker berhenti. Tidak ada data registri yang "
                    "diubah; jalankan ulang."
                )
            else:
                message = _("Tugas tidak pernah dijalankan oleh worker; jalankan ulang.")
            if ImportJob.objects.filter(pk=job.pk, status=status, updated_at__lt=before).update(
                status=ImportStatus.FAILED, message=message, finished_at=now, updated_at=now
            ):
                result["failed"] += 1

    # A failed job keeps its file for a re-run, for as long as an unconfirmed preview would.
    for job in ImportJob.objects.filter(
        status__in=FINISHED, finished_at__lt=abandoned_before
    ).exclude(file=""):
        remove_upload(job)
        result["files_removed"] += 1
    return result
