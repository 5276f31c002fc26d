"""Two imports into overlapping areas never interleave: the apply phase holds a PostgreSQL
advisory lock per kabupaten (``IMPORT_LOCK_NAMESPACE``, kabupaten code as a number)."""

import threading
import time

from django.db import connection, connections, transaction

from households.importer import IMPORT_LOCK_NAMESPACE, process
from households.models import Household, Member
from tests.imports.files import family, sheet, write_csv

OTHER_KABUPATEN_DESA = "35.08.01.2001"


class Worker(threading.Thread):
    """Runs a function on its own database connection and keeps its result or exception."""

    def __init__(self, function):
        super().__init__(daemon=True)
        self.function = function
        self.result = None
        self.error = None
        self.finished_at = None

    def run(self):
        try:
            self.result = self.function()
        except Exception as error:  # handed to the test thread, which asserts on it
            self.error = error
        finally:
            self.finished_at = time.monotonic()
            connections.close_all()


class HeldLock(Worker):
    """Holds the advisory lock of a kabupaten in an open transaction until released."""

    def __init__(self, kabupaten: int):
        self.taken = threading.Event()
        self.release = threading.Event()
        self.released_at = None
        super().__init__(self.hold)
        self.kabupaten = kabupaten

    def hold(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_NAMESPACE, self.kabupaten]
            )
            self.taken.set()
            self.release.wait(30)
            self.released_at = time.monotonic()


def waiting_on_advisory_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event = 'advisory'"
        )
        return cursor.fetchone()[0]


def test_an_import_waits_while_its_kabupaten_is_locked(transactional_db, tmp_path):
    path = write_csv(tmp_path / "malang.csv", sheet(family(1)))
    other = write_csv(tmp_path / "lain.csv", sheet(family(2, desa=OTHER_KABUPATEN_DESA)))
    holder = HeldLock(3507)
    holder.start()
    assert holder.taken.wait(10)
    importer = Worker(lambda: process(path, dry_run=False))
    importer.start()
    try:
        time.sleep(1.5)
        assert importer.is_alive() and waiting_on_advisory_lock() == 1
        assert Household.objects.count() == 0
        # Meanwhile a dry run of the same area and an import of another kabupaten go ahead.
        assert process(path, dry_run=True).households_created == 1
        assert process(other, dry_run=False).households_created == 1
    finally:
        holder.release.set()
        holder.join(10)
        importer.join(30)
    assert importer.error is None
    assert importer.result.households_created == 1
    assert importer.finished_at >= holder.released_at
    assert Household.objects.count() == 2


def test_two_imports_of_the_same_file_run_one_after_the_other(transactional_db, tmp_path):
    rows = []
    for n in range(1, 200):
        rows += family(n, size=4)
    path = write_csv(tmp_path / "sama.csv", sheet(rows))
    start = threading.Barrier(2)

    def run():
        start.wait(10)
        return process(path, dry_run=False)

    first, second = Worker(run), Worker(run)
    first.start()
    second.start()
    first.join(60)
    second.join(60)
    # Without the lock both would insert the same households and one would fail on the unique
    # No KK; with it the second sees the first's result and finds nothing to do.
    assert first.error is None and second.error is None
    outcomes = sorted(
        (report.households_created, report.unchanged) for report in (first.result, second.result)
    )
    assert outcomes == [(0, len(rows)), (199, 0)]
    assert Member.objects.count() == len(rows)
