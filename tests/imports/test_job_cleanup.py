"""The scheduled clean-up: abandoned previews, imports whose worker died, leftover files."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Region
from households.choices import ChangeAction, ChangeSource
from households.models import ChangeLog, Household, ImportJob
from households.models.imports import ImportStatus
from households.services.imports import clean_up_jobs
from households.tasks import cleanup_imports
from tests.conftest import DESA_A1
from tests.imports.jobs import PREVIEW, make_job


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_ABANDON_HOURS = 24
    settings.IMPORT_STALE_MINUTES = 5
    return settings.MEDIA_ROOT


def aged(job, **delta):
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(**delta))
    job.refresh_from_db()
    return job


def test_cleanup_is_scheduled_with_celery_beat():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "households.tasks.cleanup_imports" in entries


def test_unconfirmed_preview_is_cancelled_after_the_abandon_period(district_admin):
    old = aged(make_job(district_admin, counts={"preview": PREVIEW}), hours=25)
    fresh = aged(make_job(district_admin, counts={"preview": PREVIEW}), hours=23)
    old_path = old.file.path

    result = cleanup_imports()

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert result["cancelled"] == 1
    assert old.status == ImportStatus.CANCELLED and "24 jam" in old.message
    assert not old.file and not os.path.exists(old_path)
    assert fresh.status == ImportStatus.VALIDATED and fresh.file


def test_import_whose_heartbeat_stopped_is_failed_with_what_was_done(district_admin):
    job = make_job(district_admin, ImportStatus.IMPORTING, confirmed_at=timezone.now())
    desa = Region.objects.get(code=DESA_A1)
    for n in range(3):
        household = Household.objects.create(no_kk=f"350701010120000{n}", desa=desa)
        ChangeLog.objects.create(
            household=household,
            action=ChangeAction.CREATE,
            source=ChangeSource.IMPORT,
            import_job=job,
        )
    ChangeLog.objects.create(
        household=household,
        action=ChangeAction.UPDATE,
        source=ChangeSource.IMPORT,
        import_job=job,
        changes={"alamat": ["a", "b"]},
    )
    running = make_job(district_admin, ImportStatus.IMPORTING, confirmed_at=timezone.now())
    aged(job, minutes=6)
    aged(running, minutes=4)

    result = clean_up_jobs()

    job.refresh_from_db()
    running.refresh_from_db()
    assert result["failed"] == 1
    assert job.status == ImportStatus.FAILED and job.finished_at
    assert "worker berhenti" in job.message
    assert "3 keluarga baru" in job.message and "1 keluarga diubah" in job.message
    assert job.file  # kept for the re-run
    assert running.status == ImportStatus.IMPORTING


def test_check_whose_worker_died_is_failed_and_can_be_rerun(district_admin):
    job = aged(make_job(district_admin, ImportStatus.VALIDATING), minutes=10)

    clean_up_jobs()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "Pemeriksaan terhenti" in job.message
    assert job.file


def test_queued_steps_wait_for_the_abandon_period_not_the_heartbeat(district_admin):
    uploaded = aged(make_job(district_admin, ImportStatus.UPLOADED), hours=2)
    confirmed = aged(make_job(district_admin, confirmed_at=timezone.now()), hours=2)
    lost = aged(make_job(district_admin, ImportStatus.UPLOADED), hours=30)

    clean_up_jobs()

    for job in (uploaded, confirmed, lost):
        job.refresh_from_db()
    assert uploaded.status == ImportStatus.UPLOADED
    assert confirmed.status == ImportStatus.VALIDATED
    assert lost.status == ImportStatus.FAILED and "tidak pernah dijalankan" in lost.message


def test_files_of_failed_jobs_are_removed_after_the_abandon_period(district_admin):
    recent = make_job(district_admin, ImportStatus.FAILED, finished_at=timezone.now())
    old = make_job(
        district_admin,
        ImportStatus.FAILED,
        finished_at=timezone.now() - timedelta(hours=25),
    )
    path = old.file.path

    result = clean_up_jobs()

    recent.refresh_from_db()
    old.refresh_from_db()
    assert result["files_removed"] == 1
    assert recent.file and not old.file and not os.path.exists(path)


def test_cleanup_twice_changes_nothing_the_second_time(district_admin):
    aged(make_job(district_admin, counts={"preview": PREVIEW}), hours=30)
    aged(make_job(district_admin, ImportStatus.IMPORTING, confirmed_at=timezone.now()), hours=1)

    first = clean_up_jobs()
    second = clean_up_jobs()

    assert first == {"cancelled": 1, "failed": 1, "files_removed": 0}
    assert second == {"cancelled": 0, "failed": 0, "files_removed": 0}
