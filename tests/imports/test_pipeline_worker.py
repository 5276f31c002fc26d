"""The web import end to end through Redis and a real Celery worker process.

upload → validate (worker) → preview with errors → confirm → import (worker) → done; cancel;
a worker killed mid-import; two imports into the same kabupaten at once."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from households.importer import IMPORT_LOCK_NAMESPACE
from households.models import ChangeLog, Household, ImportJob, Member
from households.models.imports import ImportStatus
from households.services.imports import clean_up_jobs
from tests.conftest import ROOT, client_for
from tests.imports.registry_files import MEMBERS_PER_FAMILY, no_kk, write_registry_csv

pytestmark = pytest.mark.worker


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def worker_env(worker_env, data_dir):
    """The worker stores and reads uploads where this test process puts them."""
    return {**worker_env, "TERPADU_DATA_DIR": str(data_dir)}


def start_worker(env):
    """Another worker process, for tests that kill one or need two."""
    from config.celery import app

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=extra{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5)
        if any(name.startswith("extra") for reply in replies for name in reply):
            return process
    process.kill()
    raise RuntimeError("extra worker did not answer a ping within 30 s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(job, *statuses, timeout=120, condition=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses and (condition is None or condition(job)):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} stayed {job.status} ({job.message})")


def upload(client, path, name=None):
    with open(path, "rb") as handle:
        content = handle.read()
    response = client.post(
        reverse("households:import_upload"),
        {"file": SimpleUploadedFile(name or os.path.basename(path), content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def assert_whole_families():
    """Every household in the registry has all four members: no family is ever half written."""
    sizes = Counter(Household.objects.annotate(n=Count("members")).values_list("n", flat=True))
    assert set(sizes) <= {MEMBERS_PER_FAMILY}, sizes


def test_upload_validate_preview_confirm_done(celery_worker_process, district_admin, data_dir):
    path = write_registry_csv(data_dir / "donomulyo.csv", range(30), broken={7})
    client = client_for(district_admin)

    job = upload(client, path)
    wait_for(job, ImportStatus.VALIDATED, ImportStatus.FAILED)

    assert job.status == ImportStatus.VALIDATED, job.message
    preview = job.counts["preview"]
    assert preview["households_created"] == 29
    assert preview["members_created"] == 29 * MEMBERS_PER_FAMILY
    assert preview["families_held_back"] == 1
    assert preview["errors"] >= 1
    assert not Household.objects.exists()  # the check wrote nothing
    assert job.error_report
    page = client.get(reverse("households:import_detail", args=[job.pk])).content.decode()
    assert "Pratinjau" in page and no_kk(7) in page
    errors = client.get(
        reverse("households:import_detail", args=[job.pk]), {"level": "error"}
    ).content.decode()
    assert "nik" in errors

    client.post(reverse("households:import_confirm", args=[job.pk]))
    wait_for(job, ImportStatus.DONE, ImportStatus.FAILED)

    assert job.status == ImportStatus.DONE, job.message
    result = job.counts["result"]
    assert result["households_created"] == 29
    assert result["members_created"] == 29 * MEMBERS_PER_FAMILY
    assert Household.objects.count() == 29
    assert not Household.objects.filter(no_kk=no_kk(7)).exists()
    assert_whole_families()
    assert not job.file and not list((data_dir / "media" / "imports").rglob("*.csv"))
    assert job.finished_at and job.rows_read == 30 * MEMBERS_PER_FAMILY
    logs = ChangeLog.objects.filter(import_job=job)
    assert logs.values("household").distinct().count() == 29
    assert set(logs.values_list("source", flat=True)) == {"import"}
    page = client.get(reverse("households:import_detail", args=[job.pk])).content.decode()
    assert "Hasil impor" in page

    # The same file again: nothing to create or change.
    again = upload(client, path, "donomulyo-lagi.csv")
    wait_for(again, ImportStatus.VALIDATED, ImportStatus.FAILED)
    assert again.counts["preview"]["households_created"] == 0
    assert again.counts["preview"]["households_updated"] == 0
    page = client.get(reverse("households:import_detail", args=[again.pk])).content.decode()
    assert "File yang sama persis sudah diimpor" in page


def test_cancel_after_the_check_writes_nothing(celery_worker_process, district_admin, data_dir):
    path = write_registry_csv(data_dir / "pagak.csv", range(10))
    client = client_for(district_admin)
    job = upload(client, path)
    wait_for(job, ImportStatus.VALIDATED)

    client.post(reverse("households:import_cancel", args=[job.pk]))
    client.post(reverse("households:import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and job.confirmed_at is None
    assert not job.file
    time.sleep(1)
    assert not Household.objects.exists()


def test_killed_import_leaves_whole_families_fails_on_cleanup_and_reruns(
    celery_worker_process, worker_env, district_admin, data_dir
):
    families = 10_000  # 40,000 member rows
    path = write_registry_csv(data_dir / "kabupaten.csv", range(families))
    client = client_for(district_admin)
    job = upload(client, path)
    started = time.monotonic()
    wait_for(job, ImportStatus.VALIDATED, timeout=300)
    validated = time.monotonic() - started
    client.post(reverse("households:import_confirm", args=[job.pk]))

    # Kill inside the apply transaction: the import pass has read the whole file again.
    wait_for(
        job,
        ImportStatus.IMPORTING,
        timeout=300,
        condition=lambda job: job.rows_read >= families * MEMBERS_PER_FAMILY,
    )
    peak_rss = peak_rss_mb(celery_worker_process.pid)
    os.kill(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait(timeout=10)

    assert_whole_families()
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING  # nobody knows yet
    written = Household.objects.count()
    assert written < families

    # The heartbeat stopped with the worker: the clean-up (as if minutes later) fails the job.
    clean_up_jobs(now=timezone.now() + timezone.timedelta(minutes=10))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert f"{written} keluarga baru" in job.message
    assert job.file
    page = client.get(reverse("households:import_detail", args=[job.pk])).content.decode()
    assert "Jalankan ulang" in page

    worker = start_worker(worker_env)
    try:
        client.post(reverse("households:import_rerun", args=[job.pk]))
        started = time.monotonic()
        wait_for(job, ImportStatus.DONE, ImportStatus.FAILED, timeout=300)
        rerun = time.monotonic() - started
        peak_rss = max(peak_rss, peak_rss_mb(worker.pid))
    finally:
        stop(worker)

    assert job.status == ImportStatus.DONE, job.message
    assert Household.objects.count() == families
    assert Member.objects.count() == families * MEMBERS_PER_FAMILY
    assert_whole_families()
    assert job.counts["result"]["households_created"] == families - written
    print(
        f"\n{families * MEMBERS_PER_FAMILY} rows: check {validated:.1f} s, "
        f"{written} families written before the kill, re-run {rerun:.1f} s, "
        f"worker peak RSS {peak_rss} MB"
    )


def test_two_imports_into_the_same_kabupaten_queue_behind_each_other(
    celery_worker_process, worker_env, district_admin, data_dir
):
    # 2,500 families = 10,000 rows each; families 1,250–2,499 are in both files.
    first_file = write_registry_csv(data_dir / "a.csv", range(0, 2500), alamat="Jalan A")
    second_file = write_registry_csv(data_dir / "b.csv", range(1250, 3750), alamat="Jalan B")
    client = client_for(district_admin)
    jobs = [upload(client, first_file), upload(client, second_file)]
    for job in jobs:
        wait_for(job, ImportStatus.VALIDATED)
    assert [job.counts["preview"]["households_created"] for job in jobs] == [2500, 2500]

    second_worker = start_worker(worker_env)
    try:
        with connection.cursor() as cursor:
            # This test holds the kabupaten's import lock, so both imports must wait for it.
            cursor.execute("SELECT pg_advisory_lock(%s, 3507)", [IMPORT_LOCK_NAMESPACE])
            try:
                for job in jobs:
                    client.post(reverse("households:import_confirm", args=[job.pk]))
                deadline = time.monotonic() + 120
                while waiting_for_import_lock(cursor) < 2:
                    assert time.monotonic() < deadline, [j.status for j in jobs]
                    time.sleep(0.1)
                for job in jobs:
                    job.refresh_from_db()
                    assert job.status == ImportStatus.IMPORTING
                assert not Household.objects.exists()
                # Waiting is not dying: their heartbeats keep the clean-up away.
                time.sleep(1.5)
                assert clean_up_jobs()["failed"] == 0
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s, 3507)", [IMPORT_LOCK_NAMESPACE])
        for job in jobs:
            wait_for(job, ImportStatus.DONE, ImportStatus.FAILED, timeout=120)
            assert job.status == ImportStatus.DONE, job.message
    finally:
        stop(second_worker)

    ids = [
        list(ChangeLog.objects.filter(import_job=job).values_list("id", flat=True)) for job in jobs
    ]
    earlier, later = sorted(range(2), key=lambda index: min(ids[index]))
    assert max(ids[earlier]) < min(ids[later])  # one import wrote after the other, not between
    # The later one re-checked the registry the earlier one left: the shared families are updates.
    assert jobs[earlier].counts["result"]["households_created"] == 2500
    assert jobs[later].counts["result"]["households_created"] == 1250
    assert jobs[later].counts["result"]["households_updated"] == 1250
    assert Household.objects.count() == 3750
    assert_whole_families()
    later_address = "Jalan A" if later == 0 else "Jalan B"
    shared = Household.objects.filter(no_kk__in=[no_kk(n) for n in range(1250, 2500)])
    assert set(shared.values_list("alamat", flat=True)) == {
        f"{later_address} {n}" for n in range(1250, 2500)
    }


def waiting_for_import_lock(cursor) -> int:
    cursor.execute(
        """SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()
             AND l.classid = %s::bigint::oid""",
        [IMPORT_LOCK_NAMESPACE],
    )
    return cursor.fetchone()[0]


def peak_rss_mb(pid) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0
