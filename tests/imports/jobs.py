"""Helpers for the import-job tests: jobs in a given state, with a stored file."""

from django.core.files.base import ContentFile

from core.scope import area_of
from households.models import ImportIssue, ImportJob
from households.models.imports import ImportStatus, IssueLevel

PREVIEW = {
    "rows": 7,
    "households_created": 2,
    "households_updated": 1,
    "members_created": 5,
    "members_updated": 1,
    "unchanged": 0,
    "skipped_empty": 1,
    "families_held_back": 1,
    "unknown_columns": ["catatan_petugas"],
    "errors": 2,
    "warnings": 1,
    "issue_columns": ["nik", "tanggal_lahir"],
}


def make_job(user, status=ImportStatus.VALIDATED, *, with_file=True, **fields):
    fields.setdefault("original_name", "registri.csv")
    job = ImportJob(user=user, area_code=area_of(user) or "", status=status, **fields)
    if with_file:
        job.file.save("job.csv", ContentFile(b"kode_desa,no_kk\n"), save=False)
    job.save()
    return job


def add_issues(job, count=0):
    """The two errors and one warning of PREVIEW, plus ``count`` more warnings."""
    ImportIssue.objects.bulk_create(
        [
            ImportIssue(
                job=job,
                row=3,
                column="nik",
                level=IssueLevel.ERROR,
                message="NIK harus 16 angka",
                no_kk="3507010101200001",
            ),
            ImportIssue(
                job=job,
                row=4,
                column="",
                level=IssueLevel.ERROR,
                message="Ditahan bersama keluarganya",
                no_kk="3507010101200001",
            ),
            ImportIssue(
                job=job,
                row=6,
                column="tanggal_lahir",
                level=IssueLevel.WARNING,
                message="Tanggal lahir tidak cocok dengan NIK",
                no_kk="3507010101200002",
            ),
        ]
        + [
            ImportIssue(
                job=job, row=100 + n, column="nik", level=IssueLevel.WARNING, message=f"w{n}"
            )
            for n in range(count)
        ]
    )
