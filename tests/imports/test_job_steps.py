"""The two worker steps run in-process: claims, heartbeat, rejection, cancel, crash, the error
report. (The same steps through Redis and a worker process: test_pipeline_worker.py.)"""

import time

import pytest
from django.core.files import File
from openpyxl import load_workbook

import households.importer
from households.error_report import NOTE_COLUMN, SOURCE_ROW_COLUMN
from households.models import Household, ImportIssue
from households.models.imports import ImportStatus
from households.services import imports as services
from households.services.imports import HEARTBEAT_SECONDS, run_job, validate_job
from tests.imports.jobs import make_job
from tests.imports.registry_files import HEADER, family_rows, no_kk, write_registry_csv


@pytest.fixture(autouse=True)
def media_root(transactional_db, settings, tmp_path):
    """Committed data (the heartbeat thread has its own connection) and files in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def job_with_file(user, path, status=ImportStatus.UPLOADED, **fields):
    job = make_job(user, status, with_file=False, original_name=path.name, **fields)
    with open(path, "rb") as handle:
        job.file.save(f"stored{path.suffix}", File(handle))
    return job


def test_check_then_import_of_a_job(district_admin, tmp_path):
    path = write_registry_csv(tmp_path / "desa.csv", range(5), broken={2})
    job = job_with_file(district_admin, path)

    validate_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert job.counts["preview"]["households_created"] == 4
    assert job.counts["preview"]["families_held_back"] == 1
    assert "nik" in job.counts["preview"]["issue_columns"]
    assert job.rows_total == job.rows_read == 20
    assert not Household.objects.exists()

    services.confirm_import(job, district_admin)
    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.finished_at
    assert job.counts["result"]["households_created"] == 4
    assert Household.objects.count() == 4
    assert not job.file
    # Issues describe the import pass once, not the check and the import twice.
    assert ImportIssue.objects.filter(job=job, row=11, column="nik").count() == 1


def test_a_step_delivered_twice_runs_once(district_admin, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(households.importer, "process", lambda *a, **k: calls.append(k))
    path = write_registry_csv(tmp_path / "desa.csv", range(1))
    validating = job_with_file(district_admin, path, ImportStatus.VALIDATING)
    unconfirmed = job_with_file(district_admin, path, ImportStatus.VALIDATED)
    done = job_with_file(district_admin, path, ImportStatus.DONE)

    validate_job(validating.pk)
    run_job(unconfirmed.pk)
    run_job(done.pk)
    validate_job(done.pk)

    assert calls == []
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == ImportStatus.VALIDATED


def test_unreadable_file_fails_with_the_engines_message_and_is_removed(district_admin, tmp_path):
    path = tmp_path / "tanpa-nik.csv"
    path.write_text("kode_desa;no_kk;nama\n35.07.01.2001;3507010000000001;Budi\n")
    job = job_with_file(district_admin, path)
    stored = job.file.path

    validate_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "nik" in job.message
    assert not job.file and not services.can_rerun(job)
    assert not __import__("os").path.exists(stored)


def test_progress_is_visible_while_the_engine_runs(district_admin, tmp_path, monkeypatch):
    seen = []

    def slow_engine(path, *, progress, job, **kwargs):
        progress(1234, 321)
        time.sleep(HEARTBEAT_SECONDS * 1.6)
        job.refresh_from_db()  # this connection is not the heartbeat's
        seen.append((job.rows_read, job.families_checked))
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(households.importer, "process", slow_engine)
    path = write_registry_csv(tmp_path / "desa.csv", range(1))
    job = job_with_file(district_admin, path)

    validate_job(job.pk)

    assert seen == [(1234, 321)]
    job.refresh_from_db()
    # A crash is a failure the user can re-run: the file is kept.
    assert job.status == ImportStatus.FAILED
    assert "kesalahan sistem" in job.message
    assert services.can_rerun(job)


def test_cancel_stops_a_running_check_at_its_next_progress(district_admin, tmp_path, monkeypatch):
    steps = []

    def long_engine(path, *, progress, job, **kwargs):
        services.cancel_import(job)
        for rows in range(5000, 50_001, 5000):
            time.sleep(HEARTBEAT_SECONDS / 4)
            progress(rows, rows // 4)
            steps.append(rows)
        raise AssertionError("the check should have stopped")

    monkeypatch.setattr(households.importer, "process", long_engine)
    job = job_with_file(district_admin, write_registry_csv(tmp_path / "d.csv", range(1)))

    validate_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert 0 < len(steps) < 10
    assert not job.file and not job.error_report


def test_import_crash_says_what_was_done_and_keeps_the_file(district_admin, tmp_path, monkeypatch):
    path = write_registry_csv(tmp_path / "desa.csv", range(2))
    job = job_with_file(district_admin, path, ImportStatus.VALIDATED)
    services.confirm_import(job, district_admin)
    monkeypatch.setattr(
        households.importer, "process", lambda *a, **k: (_ for _ in ()).throw(OSError("disk"))
    )

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "0 keluarga baru" in job.message and "Jalankan ulang" in job.message
    assert services.can_rerun(job)


def test_error_report_has_the_problem_families_as_uploaded_with_what_is_wrong(
    district_admin, tmp_path
):
    path = tmp_path / "desa.csv"
    rows = [family_rows(n) for n in range(4)]
    rows[1][1][3] = rows[1][1][3][:15]  # family 1: 15-digit NIK on the spouse row
    rows[1][2][4] = '=HYPERLINK("http://x","klik")'  # formula-looking name in that family
    rows[3][0][7] = "3"  # family 3: no head
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(";".join(HEADER) + "\n")
        for family in rows:
            for row in family:
                handle.write(";".join(row) + "\n")
    job = job_with_file(district_admin, path)

    validate_job(job.pk)

    job.refresh_from_db()
    assert job.error_report
    book = load_workbook(job.error_report.path)
    fixes, listing = book.worksheets
    table = list(fixes.iter_rows(values_only=True))
    header = list(table[0])
    assert header[: len(HEADER)] == HEADER
    assert header[-2:] == [SOURCE_ROW_COLUMN, NOTE_COLUMN]
    body = [dict(zip(header, row, strict=True)) for row in table[1:]]
    # Rows 6–9 (family 1) and 14–17 (family 3), nothing of the good families.
    assert [row[SOURCE_ROW_COLUMN] for row in body] == [6, 7, 8, 9, 14, 15, 16, 17]
    assert {row["no_kk"] for row in body} == {no_kk(1), no_kk(3)}
    by_row = {row[SOURCE_ROW_COLUMN]: row for row in body}
    assert by_row[7]["nik"] == rows[1][1][3]  # as uploaded, 15 digits
    assert "[Kesalahan] nik:" in by_row[7][NOTE_COLUMN]
    assert by_row[8]["nama"] == '\'=HYPERLINK("http://x","klik")'  # shown, never run
    assert all(row[NOTE_COLUMN] for row in body)
    nik_column = header.index("nik") + 1
    assert fixes.cell(row=2, column=nik_column).number_format == "@"
    issues = list(listing.iter_rows(min_row=2, values_only=True))
    assert len(issues) == ImportIssue.objects.filter(job=job).count()
