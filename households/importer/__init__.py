"""The registry import engine (docs/registry-format.md), shared by the web import and the CLI.

    report = process(path, user=user, dry_run=True, job=job, progress=callback)

How one file goes through it:

1. **Read** (``reader.py``): sniff the type, refuse what cannot be read (``FileRejected``), find
   the header row, stream the rows (``.xlsx`` by a streaming XML reader, ``xlsx.py``; ``.csv``
   by ``csv``).
2. **Check each row** (``rows.py``, its cells converted by ``cells.py``) in Python and ``COPY``
   it, with its issues, into a temporary staging table on the import's connection (memory
   stays flat).
3. **Check across rows and against the registry** (``validate.py``) set-based in SQL: one
   head per family, duplicate NIKs in the file and in the registry, families that disagree on
   their desa, No KKs registered outside the user's area; then hold back every family with an
   error and match the rest (households by active No KK, members by NIK, or by name and birth
   date without NIK).
4. **Apply** (``load.py``, not in a dry run) inside one transaction: insert/update only what
   differs, with ``ChangeLog`` rows; duplicate candidates for refused NIKs (one set-based call
   of ``services.duplicates.record_refused_rows``).

Steps 3 and 4 run in one transaction. Before it reads the registry, a real import takes
``pg_advisory_xact_lock(IMPORT_LOCK_NAMESPACE, <kabupaten code as int, e.g. 3507>)`` for every
kabupaten it may write to (its families' desa and the desa of the households their No KK names,
in ascending order), so two imports over overlapping areas queue one behind the other and each
checks the registry as the other left it; the locks go with COMMIT/ROLLBACK. The dry run takes
no lock. A worker that dies leaves no trace: the staging tables belong to its connection and
the transaction rolls back whole (no half family, no half file). A re-run is safe: unchanged
rows write nothing.

One transaction for the whole file rather than batches of families: on 1,000,000 rows the
apply is index and foreign-key upkeep (measured: ~14 s inserting the members, ~6 s of deferred
foreign-key checks at COMMIT), which batching would not reduce, and a single transaction makes
"no half family" hold without bookkeeping.

Progress: ``progress(rows_read, families_checked)`` every few thousand rows while reading (outside
any transaction, so a job's heartbeat is visible at once) and once more at the end.
"""

import contextlib
import time
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from core.scope import area_of
from households import nik
from households.importer import stage
from households.importer.columns import TEMPLATE_COLUMN_FAMILIES, template_columns
from households.importer.errors import FileRejected
from households.importer.load import IMPORT_LOCK_NAMESPACE, Loader, lock_areas, write_job_issues
from households.importer.reader import open_source
from households.importer.rows import RegionIndex, RowChecker
from households.importer.validate import counts, file_checks, match, registry_checks

__all__ = [
    "IMPORT_LOCK_NAMESPACE",
    "MAX_DATA_ROWS",
    "TEMPLATE_COLUMNS",
    "TEMPLATE_COLUMN_FAMILIES",
    "FileRejected",
    "ImportReport",
    "Issue",
    "iter_source_rows",
    "process",
]

# (column, required, Indonesian explanation, codes) in template order.
TEMPLATE_COLUMNS = template_columns()

# Excel's own limit; a CSV longer than a sheet can be is refused as well.
MAX_DATA_ROWS = 1_048_576
PROGRESS_EVERY = 5000
# The report keeps this many errors and warnings each in memory (a job has all of them in
# ImportIssue; ``errors_total``/``warnings_total`` give the full counts).
REPORT_ISSUE_LIMIT = 100_000

COUNT_FIELDS = [
    "rows",
    "households_created",
    "households_updated",
    "members_created",
    "members_updated",
    "unchanged",
    "skipped_empty",
]


@dataclass
class Issue:
    row: int
    column: str
    message: str
    no_kk: str = ""

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    households_created: int = 0
    households_updated: int = 0
    members_created: int = 0
    members_updated: int = 0
    unchanged: int = 0
    skipped_empty: int = 0
    families: int = 0
    families_held_back: int = 0
    duplicate_candidates: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    errors_total: int = 0
    warnings_total: int = 0
    header_row: int = 0
    dry_run: bool = True
    # Seconds per phase (read = read + row checks + COPY; checks of the file; waiting for the
    # lock; registry checks and matching; apply; commit), for the benchmark.
    timings: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The CLI's JSON object (docs/registry-format.md), plus a few extra keys."""
        return {
            **{name: getattr(self, name) for name in COUNT_FIELDS},
            "errors": [issue.as_json() for issue in self.errors],
            "warnings": [issue.as_json() for issue in self.warnings],
            "families": self.families,
            "families_held_back": self.families_held_back,
            "unknown_columns": list(self.unknown_columns),
            "errors_total": self.errors_total,
            "warnings_total": self.warnings_total,
            "header_row": self.header_row,
            "dry_run": self.dry_run,
        }


def _area_of(user) -> str:
    if user is None:
        return ""
    area = area_of(user)
    if area is None:
        raise FileRejected(
            _("Akun %(user)s tidak punya wilayah kerja, jadi tidak bisa mengimpor data.")
            % {"user": user.get_username()}
        )
    return area


@contextlib.contextmanager
def _reading_phase():
    # Outside a transaction the rows are staged in autocommit, so progress written meanwhile
    # by the caller is visible at once; inside one (tests, callers' atomic blocks) a savepoint
    # keeps a failure from breaking the caller's transaction.
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        yield


def _tune_session(cursor):
    """Room for the staging tables in the backend's local buffers (default 8 MB). PostgreSQL
    accepts this only before the session's first temporary table, so a worker's later imports
    keep what the first one got; refusing it changes nothing but speed."""
    with contextlib.suppress(DatabaseError), transaction.atomic():
        cursor.execute("SET temp_buffers = '256MB'")


def process(path, *, user=None, dry_run: bool, job=None, progress=None, original_name=None):
    """Read, validate and (unless ``dry_run``) apply a registry file; returns an ``ImportReport``.

    ``user=None`` is a system import without area limit; otherwise every row must lie in the
    user's area. With ``job`` the issues are written to ``ImportIssue`` and history rows point
    to the job. Raises ``FileRejected`` before writing anything when the file cannot be read.
    The dry run and the import produce the same counts and issues for the same registry."""
    area = _area_of(user)
    source = open_source(path, original_name)
    try:
        # The NIK check reads the region codes on first use; that must happen now, not in the
        # middle of the COPY that holds the connection.
        nik._region_codes()
        checker = RowChecker(source.header, RegionIndex(), area)
        layout = checker.layout
        report = ImportReport(
            unknown_columns=list(source.header.unknown),
            header_row=source.header_row,
            dry_run=dry_run,
        )
        with connection.cursor() as cursor:
            try:
                started = time.monotonic()
                _tune_session(cursor)
                with _reading_phase():
                    stage.create(cursor, layout.columns)
                    _stage_rows(cursor, source, checker, report, progress)
                report.timings["read"] = time.monotonic() - started
                with transaction.atomic():
                    started = time.monotonic()
                    # Hash aggregates over a million rows stay in memory instead of spilling;
                    # the staging table gets statistics (temporary tables are never analysed
                    # automatically) and plans skip JIT compiling, which costs more than it saves.
                    cursor.execute("SET LOCAL work_mem = '256MB'")
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute(f"ANALYZE {stage.ROWS}")
                    report.families = file_checks(cursor)
                    report.timings["checks"] = time.monotonic() - started
                    started = time.monotonic()
                    # From here on the registry is read: a real import first waits for any
                    # other import of the same kabupaten, then checks and writes under the lock.
                    if not dry_run:
                        lock_areas(cursor)
                    report.timings["lock"] = time.monotonic() - started
                    started = time.monotonic()
                    report.families_held_back = registry_checks(cursor, area)
                    match(cursor, layout, assign_ids=not dry_run)
                    for name, value in counts(cursor).items():
                        setattr(report, name, value)
                    report.timings["match"] = time.monotonic() - started
                    started = time.monotonic()
                    if not dry_run:
                        # New names go to the trigram index's pending list and are merged into
                        # it in one sorted pass at the end, instead of every 4 MB (the default):
                        # about a tenth less time writing members, and name search is as fast
                        # right after the import as before it.
                        cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
                        loader = Loader(
                            cursor,
                            layout,
                            user=user,
                            job=job,
                            original_name=original_name or str(path).rsplit("/", 1)[-1],
                        )
                        loader.run()
                        cursor.execute("SELECT gin_clean_pending_list('member_nama_trgm')")
                        report.duplicate_candidates = loader.record_conflicts(job)
                    if job is not None:
                        write_job_issues(cursor, job)
                    _collect_issues(cursor, report)
                    report.timings["apply"] = time.monotonic() - started
                    started = time.monotonic()
                report.timings["commit"] = time.monotonic() - started
            finally:
                # After a failure inside a caller's transaction the tables go with its rollback.
                if not connection.needs_rollback:
                    stage.drop(cursor)
    finally:
        source.close()
    if progress is not None:
        progress(report.rows, report.families)
    return report


def _stage_rows(cursor, source, checker: RowChecker, report: ImportReport, progress):
    columns = ", ".join(checker.layout.columns)
    check = checker.check
    rows = families = 0
    last_kk = None
    last_data_row = source.header_row
    skipped = 0
    with cursor.copy(f"COPY {stage.ROWS} ({columns}) FROM STDIN") as copy:
        write = copy.write_row
        for row_no, values in source.rows:
            record = check(row_no, values)
            if record is None:
                continue
            rows += 1
            if rows > MAX_DATA_ROWS:
                raise FileRejected(
                    _("File berisi lebih dari %(max)s baris data; pecah menjadi beberapa file.")
                    % {"max": f"{MAX_DATA_ROWS:,}".replace(",", ".")}
                )
            skipped += row_no - last_data_row - 1
            last_data_row = row_no
            if record[1] != last_kk:
                families += 1
                last_kk = record[1]
            write(record)
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows, families)
    if rows == 0:
        raise FileRejected(
            _("Tidak ada baris data di bawah baris judul kolom (baris %(row)d).")
            % {"row": source.header_row}
        )
    report.rows = rows
    report.skipped_empty = skipped


def _collect_issues(cursor, report: ImportReport):
    cursor.execute(f"SELECT level, count(*) FROM {stage.ISSUES} GROUP BY level")
    totals = dict(cursor.fetchall())
    report.errors_total = totals.get("error", 0)
    report.warnings_total = totals.get("warning", 0)
    for level, target in (("error", report.errors), ("warning", report.warnings)):
        cursor.execute(
            f"""SELECT row_no, col, message, CASE WHEN kk LIKE '#%%' THEN '' ELSE kk END
                FROM {stage.ISSUES} WHERE level = %s ORDER BY row_no, seq LIMIT %s""",
            [level, REPORT_ISSUE_LIMIT],
        )
        target.extend(Issue(*row) for row in cursor.fetchall())


def iter_source_rows(path, original_name=None):
    """(row number as Excel shows it, {column: value as read}) for every non-empty row after
    the header: known columns under their canonical names, others under their header text.
    For the error report, which shows the rows as they were uploaded."""
    source = open_source(path, original_name)
    try:
        names = {}
        for name, index in source.header.positions.items():
            names[index] = name
        for index, cell in enumerate(source.header_cells):
            if index not in names and cell is not None and str(cell).strip():
                names[index] = str(cell).strip()
        order = sorted(names)
        for row_no, values in source.rows:
            width = len(values)
            yield row_no, {names[i]: (values[i] if i < width else None) for i in order}
    finally:
        source.close()
