"""Recipient lists (daftar penerima/KPM per program and tahap) into enrolments — the engine
shared by the web import job and ``manage.py import_enrolments``::

    report = process(path, program=program, user=user, dry_run=True)

1. **Read** with the registry import's readers (``households.importer.reader``: file type
   sniffing and every refusal, ``.xlsx`` streaming, ``.csv`` with any delimiter, title rows above
   the header). The header is the first row naming a NIK or No KK column and at least one other
   known column, in any of the spellings of ``COLUMNS`` (case, spaces and punctuation ignored).
   Each row's NIK / No KK is cleaned as in the registry import (``households.nik.clean_number``:
   apostrophes and spaces go, a number Excel mangled is an error) and ``COPY``'d into a
   temporary table.
2. **Match** set-based in SQL, only inside the importer's area: a member by NIK (any member of
   the family), else an active household by No KK. A person not found in the area is an error
   whose message is the same whether the NIK exists in another area or nowhere.
3. **Repeats**: the first row of a household (of a member, for member programs) counts; a later
   row of the same person or of another member of the same family is a warning.
4. **Apply** (not in a dry run), in one transaction under an advisory lock per program: a household
   already openly enrolled is ``unchanged`` (``updated`` when the row's Tahap differs from the
   last one recorded); the others are enrolled as active, source "recipient list", with an
   ``EnrolmentStatusChange`` each. A household above the program's desil ceiling, without a
   desil, or not active in the registry is enrolled *and* flagged (the rule of
   ``programs.services.eligibility`` for desil and status, here in SQL), with a warning: the
   national list is the ministry's decision, the district follows the mismatch up.

Rows with errors are skipped and reported; the rest is applied. A re-run of the same file
changes nothing.
"""

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import area_of
from households import nik
from households.importer.errors import FileRejected
from households.importer.reader import HEADER_SEARCH_ROWS, HeaderNotFound, open_source
from programs.choices import BeneficiaryUnit, EnrolmentSource, EnrolmentStatus

# Canonical column → the header spellings accepted (compared without case, spaces or punctuation).
COLUMNS = {
    "nik": ["NIK", "NIK KPM", "NIK Penerima", "NIK Pengurus", "NIK Anggota", "NIK ART"],
    "no_kk": ["No KK", "No. KK", "Nomor KK", "KK", "No Kartu Keluarga", "Nomor Kartu Keluarga"],
    "nama": ["Nama", "Nama Penerima", "Nama KPM", "Nama Pengurus", "Nama Lengkap"],
    "period": ["Tahap", "Periode"],
    "amount": ["Nominal", "Nilai", "Nilai Bantuan"],
}
LABELS = {"nik": "NIK", "no_kk": "No KK", "nama": "Nama", "period": "Tahap", "amount": "Nominal"}
MAX_DATA_ROWS = 2_000_000
LOCK_NAMESPACE = 7207  # pg_advisory_xact_lock(namespace, program id): one list per program at once
PROGRESS_EVERY = 5000
ISSUE_LIMIT = 100_000


def _fold(text) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


_ALIASES = {_fold(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class ListHeader:
    """Which sheet column holds which field, and its heading as the file spells it."""

    index: dict = field(default_factory=dict)  # canonical name → column index
    titles: dict = field(default_factory=dict)  # canonical name → the file's heading


def map_header(values, aliases) -> ListHeader:
    """Find the known columns (``aliases``: folded heading → canonical name) in a row."""
    header = ListHeader()
    for position, value in enumerate(values):
        name = aliases.get(_fold(value))
        if name and name not in header.index:
            header.index[name] = position
            header.titles[name] = str(value).strip()
    return header


def header_finder(aliases, minimum: int, not_found):
    """A ``find_header`` for ``households.importer.reader.open_source``: the first row (of the
    first ``HEADER_SEARCH_ROWS`` with content) naming a NIK or No KK column and at least
    ``minimum`` known columns; ``not_found()`` words the refusal."""

    def find_header(iterator):
        looked = 0
        for row_number, values in iterator:
            header = map_header(values, aliases)
            if ({"nik", "no_kk"} & header.index.keys()) and len(header.index) >= minimum:
                return row_number, list(values), header
            looked += 1
            if looked >= HEADER_SEARCH_ROWS:
                break
        if looked == 0:
            raise HeaderNotFound(_("File tidak berisi data: semua barisnya kosong."))
        raise HeaderNotFound(not_found())

    return find_header


find_list_header = header_finder(
    _ALIASES,
    2,
    lambda: (
        _(
            "Baris judul kolom tidak ditemukan di %(count)d baris pertama yang berisi. Daftar "
            "penerima perlu kolom NIK (atau NIK KPM, NIK Penerima, NIK Pengurus) dan/atau No KK, "
            "serta Nama."
        )
        % {"count": HEADER_SEARCH_ROWS}
    ),
)


@dataclass
class Issue:
    row: int
    column: str
    message: str

    def as_json(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ListReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_empty: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    header_row: int = 0
    dry_run: bool = False

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped_empty": self.skipped_empty,
            "errors": [issue.as_json() for issue in self.errors],
            "warnings": [issue.as_json() for issue in self.warnings],
        }


STAGE = "programs_list_stage"
MATCHED = "programs_list_matched"
TARGETS = "programs_list_targets"


def _cell(values, index):
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _amount(raw):
    """Nominal → whole rupiah, or (None, error)."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, _("Nominal tidak valid.")
    if isinstance(raw, int | float):
        number = raw
    else:
        text = str(raw).strip().lower().replace("rp", "").replace(" ", "")
        # Indonesian writing: 1.500.000 or 1.500.000,00
        text = re.sub(r",0+$", "", text).replace(".", "").replace(",", "")
        if not text.lstrip("-").isdigit():
            return None, _("Nominal harus angka rupiah: %(value)s.") % {"value": raw}
        number = int(text)
    if number < 0:
        return None, _("Nominal tidak boleh negatif.")
    if number != int(number):
        return None, _("Nominal harus rupiah utuh: %(value)s.") % {"value": raw}
    if number > 100_000_000:
        return None, _("Nominal tidak wajar (lebih dari Rp 100.000.000 per baris).")
    return int(number), None


def _period(raw):
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()[:20] or None


def _read(cursor, source, report: ListReport, progress):
    index = source.header.index
    titles = source.header.titles
    rows = 0
    last_data_row = source.header_row
    with cursor.copy(
        f"COPY {STAGE} (row_no, nik, no_kk, nama, period, amount, error_col, error) FROM STDIN"
    ) as copy:
        for row_no, values in source.rows:
            cells = {name: _cell(values, position) for name, position in index.items()}
            if all(value is None for value in cells.values()):
                continue
            rows += 1
            if rows > MAX_DATA_ROWS:
                raise FileRejected(
                    _("File berisi terlalu banyak baris; pecah menjadi beberapa file.")
                )
            report.skipped_empty += row_no - last_data_row - 1
            last_data_row = row_no
            error_col = error = None
            number, problem = nik.clean_number(cells.get("nik"), titles.get("nik", "NIK"))
            if problem:
                error_col, error = titles.get("nik", "NIK"), problem
            kk, problem = nik.clean_number(cells.get("no_kk"), titles.get("no_kk", "No KK"))
            if problem and not error:
                error_col, error = titles.get("no_kk", "No KK"), problem
            amount, problem = _amount(cells.get("amount"))
            if problem and not error:
                error_col, error = titles.get("amount", "Nominal"), problem
            if not error and number is None and kk is None:
                error_col = titles.get("nik") or titles.get("no_kk")
                error = _("NIK dan No KK kosong: isi salah satu.")
            name = cells.get("nama")
            copy.write_row(
                (
                    row_no,
                    number,
                    kk,
                    str(name)[:150] if name is not None else None,
                    _period(cells.get("period")),
                    amount,
                    error_col,
                    error,
                )
            )
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows, 0)
    if rows == 0:
        raise FileRejected(
            _("Tidak ada baris data di bawah baris judul kolom (baris %(row)d).")
            % {"row": source.header_row}
        )
    report.rows = rows


def process(
    path, *, program, user=None, dry_run=False, original_name=None, progress=None
) -> ListReport:
    """Check (``dry_run``) or import one recipient list of ``program``; ``user`` limits the
    registry it is matched against to their area (no user: the whole registry, for scripts)."""
    area = "" if user is None else area_of(user)
    if area is None:
        raise FileRejected(_("Pengguna ini tidak punya wilayah kerja."))
    report = ListReport(dry_run=dry_run)
    source = open_source(path, original_name=original_name, find_header=find_list_header)
    report.header_row = source.header_row
    titles = source.header.titles
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # ON COMMIT DROP, and dropped first for a caller already inside a transaction.
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {MATCHED}, {TARGETS}")
            cursor.execute(
                f"""CREATE TEMP TABLE {STAGE} (row_no int, nik text, no_kk text, nama text,
                    period text, amount bigint, error_col text, error text) ON COMMIT DROP"""
            )
            _read(cursor.cursor, source, report, progress)
            if not dry_run:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, program.pk])
            _match(cursor, program, area, titles)
            _collect(cursor, report)
            if dry_run:
                _count_dry(cursor, program, report)
                transaction.set_rollback(True)
            else:
                _apply(cursor, program, user, report, original_name or str(path))
    finally:
        source.close()
    if progress is not None:
        progress(report.rows, report.rows)
    return report


def _match(cursor, program, area, titles):
    """One pass: each row's household (and member), its error when not found, and the first
    row of each household (member) among the rows without errors."""
    member_program = program.beneficiary_unit == BeneficiaryUnit.MEMBER
    key = "member_id" if member_program else "household_id"
    cursor.execute(
        f"""
        CREATE TEMP TABLE {MATCHED} ON COMMIT DROP AS
        WITH found AS (
            SELECT s.row_no, s.nik, s.period, s.error_col, s.error,
                   coalesce(by_nik.household_id, by_kk.id) AS household_id,
                   by_nik.id AS member_id
            FROM {STAGE} s
            LEFT JOIN LATERAL (
                SELECT m.id, m.household_id FROM households_member m
                JOIN households_household h ON h.id = m.household_id
                WHERE s.error IS NULL AND s.nik IS NOT NULL AND m.nik = s.nik
                  AND h.desa_code LIKE %(area)s
            ) by_nik ON true
            LEFT JOIN LATERAL (
                SELECT h.id FROM households_household h
                WHERE s.error IS NULL AND s.nik IS NULL AND h.no_kk = s.no_kk
                  AND h.status = 'active' AND h.desa_code LIKE %(area)s
                ORDER BY h.id LIMIT 1
            ) by_kk ON true
        ), checked AS (
            -- Not found inside the area: one message whether the person is elsewhere or nowhere.
            SELECT row_no, nik, period, household_id, member_id,
                   CASE WHEN error IS NOT NULL THEN error_col
                        WHEN household_id IS NULL AND nik IS NOT NULL THEN %(nik_title)s
                        WHEN household_id IS NULL THEN %(kk_title)s
                        WHEN %(member_program)s AND member_id IS NULL THEN %(nik_title)s
                   END AS error_col,
                   CASE WHEN error IS NOT NULL THEN error
                        WHEN household_id IS NULL AND nik IS NOT NULL THEN %(nik_missing)s
                        WHEN household_id IS NULL THEN %(kk_missing)s
                        WHEN %(member_program)s AND member_id IS NULL THEN %(member_needed)s
                   END AS error
            FROM found
        )
        SELECT *, CASE WHEN error IS NULL THEN
                      min(row_no) OVER (PARTITION BY error IS NULL, {key}) END AS first_row
        FROM checked
        """,
        {
            "area": area + "%",
            "member_program": member_program,
            "nik_title": titles.get("nik", "NIK"),
            "kk_title": titles.get("no_kk", "No KK"),
            "nik_missing": _("NIK tidak ditemukan di registri wilayah Anda."),
            "kk_missing": _("No KK tidak ditemukan di registri wilayah Anda (keluarga aktif)."),
            "member_needed": _("Program ini per anggota keluarga: isi NIK penerimanya."),
        },
    )
    # Temporary tables are never analysed by autovacuum: without statistics the planner takes
    # them for tiny and joins 100,000 rows to the enrolments by nested loops (minutes, not s).
    cursor.execute(f"ANALYZE {MATCHED}")
    # The enrolment table's statistics may be minutes old after a big import (a re-import
    # right after the first one): the joins of whole lists are hash joins, never nested loops.
    cursor.execute("SET LOCAL enable_nestloop = off")
    # The first row of each household (member) with its open enrolment of the program, if any:
    # what the dry run counts and the import writes.
    cursor.execute(
        f"CREATE TEMP TABLE {TARGETS} ON COMMIT DROP AS {_targets_sql(program)}",
        _params(program),
    )


def _collect(cursor, report: ListReport):
    cursor.execute(
        f"""SELECT row_no, coalesce(error_col, ''), error FROM {MATCHED}
            WHERE error IS NOT NULL ORDER BY row_no LIMIT %s""",
        [ISSUE_LIMIT],
    )
    report.errors = [Issue(*row) for row in cursor.fetchall()]
    cursor.execute(
        f"""SELECT m.row_no, m.first_row, m.nik IS NOT DISTINCT FROM f.nik
            FROM {MATCHED} m JOIN {MATCHED} f ON f.row_no = m.first_row
            WHERE m.error IS NULL AND m.row_no <> m.first_row ORDER BY m.row_no LIMIT %s""",
        [ISSUE_LIMIT],
    )
    for row_no, first_row, same_person in cursor.fetchall():
        message = (
            _("Baris ganda: orang yang sama sudah ada di baris %(row)d; didaftarkan sekali.")
            if same_person
            else _(
                "Anggota lain dari keluarga yang sama sudah ada di baris %(row)d; keluarga "
                "didaftarkan sekali."
            )
        )
        report.warnings.append(Issue(row_no, "", message % {"row": first_row}))


def _targets_sql(program) -> str:
    """The first row of each household (member) with its open enrolment of the program, if any."""
    if program.beneficiary_unit == BeneficiaryUnit.MEMBER:
        open_match = "e.member_id = m.member_id"
    else:
        open_match = "e.household_id = m.household_id AND e.member_id IS NULL"
    return f"""
        SELECT m.row_no, m.household_id,
               CASE WHEN %(member_program)s THEN m.member_id END AS member_id,
               m.period, e.id AS enrolment_id, e.last_period,
               ARRAY_REMOVE(ARRAY[
                   CASE WHEN h.status <> 'active' THEN 'household_inactive' END,
                   CASE WHEN %(max_desil)s::int IS NOT NULL AND h.desil IS NULL THEN 'no_desil'
                        WHEN h.desil > %(max_desil)s::int THEN 'above_ceiling' END
               ], NULL)::varchar[] AS flags,
               h.desil, h.status
        FROM {MATCHED} m
        JOIN households_household h ON h.id = m.household_id
        LEFT JOIN programs_enrolment e ON e.program_id = %(program)s AND {open_match}
             AND e.status IN ('proposed', 'active', 'suspended')
        WHERE m.error IS NULL AND m.row_no = m.first_row
    """


def _params(program):
    return {
        "program": program.pk,
        "max_desil": program.max_desil,
        "member_program": program.beneficiary_unit == BeneficiaryUnit.MEMBER,
    }


def _flag_warnings(cursor, program, report):
    cursor.execute(
        f"""SELECT row_no, flags, desil, status FROM {TARGETS}
            WHERE enrolment_id IS NULL AND flags <> '{{}}' ORDER BY row_no LIMIT %(limit)s""",
        {"limit": ISSUE_LIMIT},
    )
    # A national list flags tens of thousands of rows with a handful of distinct reasons: each
    # message is worded (translated) once per reason, not once per row.
    messages = {}
    for row_no, flags, desil, status in cursor.fetchall():
        key = (tuple(flags), desil, status)
        message = messages.get(key)
        if message is None:
            message = messages[key] = _flag_message(program, flags, desil, status)
        report.warnings.append(Issue(row_no, "", message))
    report.warnings.sort(key=lambda issue: issue.row)


def _flag_message(program, flags, desil, status) -> str:
    reasons = []
    if "household_inactive" in flags:
        reasons.append(_("keluarga tidak aktif di registri (%(status)s)") % {"status": status})
    if "above_ceiling" in flags:
        reasons.append(
            _("desil %(desil)s di atas batas program (1–%(max)s)")
            % {"desil": desil, "max": program.max_desil}
        )
    if "no_desil" in flags:
        reasons.append(_("desil belum diketahui"))
    return _("Didaftarkan dan ditandai untuk ditindaklanjuti: %(reasons)s.") % {
        "reasons": "; ".join(reasons)
    }


def _count_dry(cursor, program, report):
    cursor.execute(
        f"""SELECT count(*) FILTER (WHERE enrolment_id IS NULL),
                   count(*) FILTER (WHERE enrolment_id IS NOT NULL AND period IS NOT NULL
                                    AND period IS DISTINCT FROM nullif(last_period, '')),
                   count(*) FILTER (WHERE enrolment_id IS NOT NULL AND (period IS NULL
                                    OR period = last_period))
            FROM {TARGETS}"""
    )
    report.created, report.updated, report.unchanged = cursor.fetchone()
    _flag_warnings(cursor, program, report)


def _apply(cursor, program, user, report, file_name):
    now = timezone.now()
    params = {
        **_params(program),
        "now": now,
        "today": timezone.localdate(),
        "user": user.pk if user else None,
        "reason": (_("Daftar penerima %(file)s") % {"file": file_name.rsplit("/", 1)[-1]})[:500],
        "justification": _(
            "Tercantum dalam daftar penerima program %(program)s yang diimpor (%(file)s)."
        )
        % {"program": program.code, "file": file_name.rsplit("/", 1)[-1]},
        "active": EnrolmentStatus.ACTIVE,
        "source": EnrolmentSource.RECIPIENT_LIST,
    }
    _flag_warnings(cursor, program, report)
    cursor.execute(
        f"""UPDATE programs_enrolment e SET last_period = t.period, updated_at = %(now)s
           FROM {TARGETS} t
           WHERE e.id = t.enrolment_id AND t.period IS NOT NULL
             AND t.period IS DISTINCT FROM nullif(t.last_period, '')""",
        params,
    )
    report.updated = cursor.rowcount
    cursor.execute(f"SELECT count(*) FROM {TARGETS} WHERE enrolment_id IS NOT NULL", params)
    report.unchanged = cursor.fetchone()[0] - report.updated
    cursor.execute(
        f"""WITH created AS (
               INSERT INTO programs_enrolment (program_id, household_id, member_id, status,
                   source, start_date, end_date, reason, flags, justification, last_period,
                   created_by_id, created_at, updated_at)
               SELECT %(program)s, household_id, member_id, %(active)s, %(source)s, %(today)s,
                      NULL, %(reason)s, flags,
                      CASE WHEN flags = '{{}}' THEN '' ELSE %(justification)s END,
                      coalesce(period, ''), %(user)s, %(now)s, %(now)s
               FROM {TARGETS} WHERE enrolment_id IS NULL
               RETURNING id)
           INSERT INTO programs_enrolmentstatuschange (enrolment_id, from_status, to_status,
               reason, by_id, at)
           SELECT id, '', %(active)s, %(reason)s, %(user)s, %(now)s FROM created""",
        params,
    )
    report.created = cursor.rowcount
