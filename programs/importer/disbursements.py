"""Distribution results (hasil penyaluran from the banks / PT Pos) into disbursements — the
engine of ``manage.py import_disbursements``::

    report = process(path, program=program, user=user, dry_run=True)

Same shape as the recipient lists (``programs.importer``): the registry import's readers (file
type sniffing, title rows above the header, ``.xlsx`` streaming, ``.csv``), cells cleaned in
Python and ``COPY``'d into a temporary table, matching and writing set-based in SQL.

* A row names a person by NIK (any member of the family) or a family by No KK, only inside the
  importer's area (the same "not found" message whether the person is elsewhere or nowhere),
  then the program's enrolment of that household (of that member for member programs): the
  open one if there is one, else the most recent past one.
* The checks are those of ``programs.services.disbursements.check_disbursement`` (mirrored
  here per row and in SQL): no payment on an exited/graduated or suspended enrolment, a
  proposed one only "direncanakan"; Tahun from 2000 up to next year; Tahap within the
  program's periods per year; amount not negative, at most Rp 100.000.000; no date in the
  future. An unknown Status is an error.
* Upsert on (enrolment, year, tahap): a new period is ``created``, a changed one ``updated``,
  an identical one ``unchanged``. A second row of the same enrolment and period is a warning
  (the first row counts).

Rows with errors are skipped and reported; the rest is applied (nothing with ``dry_run``).
"""

import datetime
import re

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import area_of
from households import nik
from households.importer.errors import FileRejected
from households.importer.reader import HEADER_SEARCH_ROWS, open_source
from programs.choices import (
    BeneficiaryUnit,
    DisbursementChannel,
    DisbursementKind,
    DisbursementStatus,
    EnrolmentStatus,
)
from programs.importer import (
    ISSUE_LIMIT,
    LOCK_NAMESPACE,
    MAX_DATA_ROWS,
    PROGRESS_EVERY,
    Issue,
    ListReport,
    _amount,
    _cell,
    _fold,
    header_finder,
)
from programs.services.disbursements import MAX_AMOUNT, MIN_YEAR

COLUMNS = {
    "nik": ["NIK", "NIK KPM", "NIK Penerima", "NIK Pengurus", "NIK Anggota", "NIK ART"],
    "no_kk": ["No KK", "No. KK", "Nomor KK", "KK", "No Kartu Keluarga", "Nomor Kartu Keluarga"],
    "nama": ["Nama", "Nama Penerima", "Nama KPM", "Nama Pengurus", "Nama Lengkap"],
    "year": ["Tahun", "Tahun Anggaran", "Thn"],
    "period": ["Tahap", "Periode"],
    "amount": ["Nominal", "Nilai", "Nilai Bantuan", "Jumlah", "Nominal Bantuan"],
    "status": ["Status", "Status Penyaluran", "Keterangan Status", "Status Salur"],
    "channel": ["Saluran", "Saluran Penyaluran", "Penyalur", "Bank", "Lembaga Penyalur"],
    "date": ["Tanggal", "Tanggal Salur", "Tanggal Penyaluran", "Tgl Salur", "Tgl"],
    "reference": ["Referensi", "No Referensi", "Nomor Referensi", "No Transaksi", "ID Transaksi"],
}
REQUIRED = ("year", "period", "amount", "status")
LABELS = {
    "nik": "NIK",
    "no_kk": "No KK",
    "year": "Tahun",
    "period": "Tahap",
    "amount": "Nominal",
    "status": "Status",
    "channel": "Saluran",
    "date": "Tanggal",
}
_ALIASES = {_fold(alias): name for name, aliases in COLUMNS.items() for alias in aliases}

# Status words of the banks' and PT Pos' result files (folded) → DisbursementStatus.
STATUS_WORDS = {
    DisbursementStatus.DISBURSED: [
        "tersalurkan",
        "tersalur",
        "disalurkan",
        "salur",
        "berhasil",
        "sukses",
        "sudahsalur",
        "sudahdisalurkan",
        "sudahcair",
        "cair",
        "dicairkan",
        "diterima",
    ],
    DisbursementStatus.FAILED: ["gagal", "gagalsalur", "tidaktersalur", "belumsalur", "ditolak"],
    DisbursementStatus.RETURNED: ["dikembalikan", "kembali", "retur", "return", "refund"],
    DisbursementStatus.PLANNED: ["direncanakan", "rencana", "dijadwalkan", "menunggu"],
}
_STATUSES = {_fold(word): status for status, words in STATUS_WORDS.items() for word in words}
_CHANNELS = {
    **{
        word: DisbursementChannel.BANK
        for word in ("bank", "kks", "bankkks", "himbara", "bri", "bni", "mandiri", "bsi", "btn")
    },
    **{
        word: DisbursementChannel.POST
        for word in ("pos", "ptpos", "posindonesia", "ptposindonesia")
    },
    **{word: DisbursementChannel.OTHER for word in ("lainnya", "lain", "tunai", "langsung")},
}

STAGE = "programs_pay_stage"
MATCHED = "programs_pay_matched"


find_header = header_finder(
    _ALIASES,
    3,
    lambda: (
        _(
            "Baris judul kolom tidak ditemukan di %(count)d baris pertama yang berisi. File "
            "penyaluran perlu kolom NIK dan/atau No KK, Tahun, Tahap, Nominal dan Status."
        )
        % {"count": HEADER_SEARCH_ROWS}
    ),
)


def _int(raw, label):
    if raw is None:
        return None, _("%(column)s wajib diisi.") % {"column": label}
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if not re.fullmatch(r"-?\d{1,6}", text):
        return None, _("%(column)s harus bilangan bulat: %(value)s.") % {
            "column": label,
            "value": text[:30],
        }
    return int(text), None


def _date(raw, label, today):
    if raw is None:
        return None, None
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    else:
        text = str(raw).strip()
        value = None
        for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
            try:
                value = datetime.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        if value is None:
            return None, _("%(column)s tidak dikenali (tulis dd/mm/yyyy): %(value)s.") % {
                "column": label,
                "value": text[:30],
            }
    if value > today:
        return None, _("Tanggal salur tidak boleh di masa depan.")
    if value.year < MIN_YEAR:
        return None, _("%(column)s terlalu lama: %(value)s.") % {
            "column": label,
            "value": value.strftime("%d/%m/%Y"),
        }
    return value, None


def _row(cells, titles, program, today):
    """One row's cleaned values and its first error (column title, message) — the per-row part
    of ``check_disbursement``; the enrolment's status is checked in SQL."""

    def title(name):
        return titles.get(name, LABELS.get(name, name))

    number, problem = nik.clean_number(cells.get("nik"), title("nik"))
    if problem:
        return None, (title("nik"), problem)
    kk, problem = nik.clean_number(cells.get("no_kk"), title("no_kk"))
    if problem:
        return None, (title("no_kk"), problem)
    if number is None and kk is None:
        return None, (
            titles.get("nik") or titles.get("no_kk"),
            _("NIK dan No KK kosong: isi salah satu."),
        )
    year, problem = _int(cells.get("year"), title("year"))
    if problem:
        return None, (title("year"), problem)
    if year < MIN_YEAR:
        return None, (title("year"), _("Tahun %(year)d terlalu lama.") % {"year": year})
    if year > today.year + 1:
        return None, (
            title("year"),
            _("Tahun %(year)d melewati tahun depan (%(next)d).")
            % {"year": year, "next": today.year + 1},
        )
    period, problem = _int(cells.get("period"), title("period"))
    if problem:
        return None, (title("period"), problem)
    if period < 1 or period > program.periods_per_year:
        return None, (
            title("period"),
            _("Tahap %(period)d tidak ada: program ini punya %(n)d tahap per tahun.")
            % {"period": period, "n": program.periods_per_year},
        )
    if cells.get("amount") is None:
        return None, (title("amount"), _("Nilai wajib diisi."))
    amount, problem = _amount(cells.get("amount"))
    if problem:
        return None, (title("amount"), problem)
    if amount > MAX_AMOUNT:  # pragma: no cover - _amount has the same ceiling
        return None, (title("amount"), _("Nominal tidak wajar."))
    raw_status = cells.get("status")
    status = _STATUSES.get(_fold(raw_status)) if raw_status is not None else None
    if status is None:
        return None, (
            title("status"),
            _(
                "Status %(value)s tidak dikenal: tulis tersalurkan, gagal, dikembalikan atau "
                "direncanakan."
            )
            % {"value": str(raw_status or "")[:30] or _("(kosong)")},
        )
    raw_channel = cells.get("channel")
    channel = DisbursementChannel.BANK
    if raw_channel is not None:
        folded = _fold(raw_channel)
        channel = _CHANNELS.get(folded)
        if channel is None:
            channel = next(
                (value for word, value in _CHANNELS.items() if folded.startswith(word)),
                DisbursementChannel.OTHER,
            )
    disbursed_on, problem = _date(cells.get("date"), title("date"), today)
    if problem:
        return None, (title("date"), problem)
    reference = cells.get("reference")
    return (
        number,
        kk,
        year,
        period,
        amount,
        status,
        channel,
        disbursed_on,
        str(reference)[:100] if reference is not None else "",
    ), None


def _read(cursor, source, program, report, progress, today):
    index = source.header.index
    titles = source.header.titles
    rows = 0
    last_data_row = source.header_row
    with cursor.copy(
        f"""COPY {STAGE} (row_no, nik, no_kk, year, period, amount, status, channel,
            disbursed_on, reference, error_col, error) FROM STDIN"""
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
            values, problem = _row(cells, titles, program, today)
            if problem:
                copy.write_row((row_no, *([None] * 9), problem[0] or "", problem[1]))
            else:
                copy.write_row((row_no, *values, None, None))
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows, 0)
    if rows == 0:
        raise FileRejected(
            _("Tidak ada baris data di bawah baris judul kolom (baris %(row)d).")
            % {"row": source.header_row}
        )
    report.rows = rows


def process(
    path, *, program, user=None, dry_run=False, original_name=None, progress=None, today=None
) -> ListReport:
    """Check (``dry_run``) or import one distribution-result file of ``program``; ``user``
    limits the registry it is matched against to their area (no user: the whole registry)."""
    area = "" if user is None else area_of(user)
    if area is None:
        raise FileRejected(_("Pengguna ini tidak punya wilayah kerja."))
    today = today or timezone.localdate()
    report = ListReport(dry_run=dry_run)
    source = open_source(path, original_name=original_name, find_header=find_header)
    report.header_row = source.header_row
    missing = [LABELS[name] for name in REQUIRED if name not in source.header.index]
    if missing:
        source.close()
        raise FileRejected(
            _("Kolom wajib tidak ada di baris judul (baris %(row)d): %(columns)s.")
            % {"row": source.header_row, "columns": ", ".join(missing)}
        )
    titles = source.header.titles
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {MATCHED}")
            cursor.execute(
                f"""CREATE TEMP TABLE {STAGE} (row_no int, nik text, no_kk text, year int,
                    period int, amount bigint, status text, channel text, disbursed_on date,
                    reference text, error_col text, error text) ON COMMIT DROP"""
            )
            _read(cursor.cursor, source, program, report, progress, today)
            if not dry_run:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE + 1, program.pk]
                )
            _match(cursor, program, area, titles)
            _collect(cursor, report)
            _apply(cursor, report)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        source.close()
    if progress is not None:
        progress(report.rows, report.rows)
    return report


def _match(cursor, program, area, titles):
    cursor.execute(f"ANALYZE {STAGE}")  # temporary tables get no autovacuum statistics
    member_program = program.beneficiary_unit == BeneficiaryUnit.MEMBER
    nik_title = titles.get("nik", "NIK")
    kk_title = titles.get("no_kk", "No KK")
    enrolment_of = (
        "e.member_id = x.member_id"
        if member_program
        else "e.household_id = x.household_id AND e.member_id IS NULL"
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE {MATCHED} ON COMMIT DROP AS
        WITH x AS (
            SELECT s.*, coalesce(by_nik.household_id, by_kk.id) AS household_id,
                   by_nik.id AS member_id
            FROM {STAGE} s
            LEFT JOIN LATERAL (
                SELECT m.id, m.household_id FROM households_member m
                JOIN households_household h ON h.id = m.household_id
                WHERE s.error IS NULL AND s.nik IS NOT NULL AND m.nik = s.nik
                  AND h.desa_code LIKE %(area)s
                ORDER BY m.id LIMIT 1
            ) by_nik ON true
            LEFT JOIN LATERAL (
                SELECT h.id FROM households_household h
                WHERE s.error IS NULL AND s.nik IS NULL AND h.no_kk = s.no_kk
                  AND h.desa_code LIKE %(area)s
                ORDER BY (h.status = 'active') DESC, h.id LIMIT 1
            ) by_kk ON true
        )
        SELECT x.row_no, x.nik, x.household_id, x.member_id, x.year, x.period, x.amount,
               x.status, x.channel, x.disbursed_on, x.reference, x.error_col, x.error,
               e.id AS enrolment_id, e.status AS enrolment_status
        FROM x
        LEFT JOIN LATERAL (
            SELECT e.id, e.status FROM programs_enrolment e
            WHERE x.household_id IS NOT NULL AND e.program_id = %(program)s AND {enrolment_of}
            ORDER BY (e.status IN (%(exited)s, %(graduated)s)),
                     e.start_date DESC NULLS LAST, e.id DESC
            LIMIT 1
        ) e ON true
        """,
        {
            "area": area + "%",
            "program": program.pk,
            "exited": EnrolmentStatus.EXITED,
            "graduated": EnrolmentStatus.GRADUATED,
        },
    )
    errors = [
        (
            "household_id IS NULL AND nik IS NOT NULL",
            nik_title,
            _("NIK tidak ditemukan di registri wilayah Anda."),
        ),
        (
            "household_id IS NULL",
            kk_title,
            _("No KK tidak ditemukan di registri wilayah Anda."),
        ),
        (
            "enrolment_id IS NULL",
            nik_title if "nik" in titles else kk_title,
            _("Tidak terdaftar sebagai peserta %(program)s.") % {"program": program.code},
        ),
        (
            f"enrolment_status IN ('{EnrolmentStatus.EXITED}', '{EnrolmentStatus.GRADUATED}')",
            "",
            _("Kepesertaan ini sudah berakhir (keluar/lulus): tidak bisa menerima penyaluran."),
        ),
        (
            f"enrolment_status = '{EnrolmentStatus.SUSPENDED}'",
            "",
            _("Kepesertaan ini ditangguhkan: penyaluran dihentikan sementara."),
        ),
        (
            f"enrolment_status = '{EnrolmentStatus.PROPOSED}' "
            f"AND status <> '{DisbursementStatus.PLANNED}'",
            "",
            _("Kepesertaan ini masih diusulkan: hanya penyaluran berstatus direncanakan."),
        ),
    ]
    for condition, column, message in errors:
        cursor.execute(
            f"UPDATE {MATCHED} SET error_col = %s, error = %s WHERE error IS NULL AND {condition}",
            [column, message],
        )
    cursor.execute(f"ALTER TABLE {MATCHED} ADD COLUMN first_row int")
    cursor.execute(
        f"""UPDATE {MATCHED} m SET first_row = f.first_row
            FROM (SELECT enrolment_id, year, period, min(row_no) AS first_row FROM {MATCHED}
                  WHERE error IS NULL GROUP BY enrolment_id, year, period) f
            WHERE m.error IS NULL AND m.enrolment_id = f.enrolment_id AND m.year = f.year
              AND m.period = f.period"""
    )
    cursor.execute(f"ANALYZE {MATCHED}")  # temporary tables get no autovacuum statistics
    # The enrolment table's statistics may be minutes old after a big import (a re-import
    # right after the first one): the joins of whole lists are hash joins, never nested loops.
    cursor.execute("SET LOCAL enable_nestloop = off")


def _collect(cursor, report: ListReport):
    cursor.execute(
        f"""SELECT row_no, coalesce(error_col, ''), error FROM {MATCHED}
            WHERE error IS NOT NULL ORDER BY row_no LIMIT %s""",
        [ISSUE_LIMIT],
    )
    report.errors = [Issue(*row) for row in cursor.fetchall()]
    cursor.execute(
        f"""SELECT row_no, first_row, year, period FROM {MATCHED}
            WHERE error IS NULL AND row_no <> first_row ORDER BY row_no LIMIT %s""",
        [ISSUE_LIMIT],
    )
    report.warnings = [
        Issue(
            row_no,
            "",
            _(
                "Penyaluran tahun %(year)d tahap %(period)d orang/keluarga ini sudah ada di "
                "baris %(row)d; baris ini dilewati."
            )
            % {"year": year, "period": period, "row": first_row},
        )
        for row_no, first_row, year, period in cursor.fetchall()
    ]


def _apply(cursor, report: ListReport):
    """Upsert the first row of each (enrolment, year, tahap); counts created/updated/unchanged.
    In a dry run the same statements run and the caller rolls them back."""
    now = timezone.now()
    cursor.execute(
        f"""
        WITH upserted AS (
            INSERT INTO programs_disbursement AS d (enrolment_id, year, period, amount, kind,
                channel, status, disbursed_on, reference, created_at, updated_at)
            SELECT enrolment_id, year, period, amount, %(kind)s, channel, status, disbursed_on,
                   reference, %(now)s, %(now)s
            FROM {MATCHED} WHERE error IS NULL AND row_no = first_row
            ON CONFLICT (enrolment_id, year, period) DO UPDATE SET
                amount = excluded.amount, channel = excluded.channel,
                status = excluded.status,
                disbursed_on = coalesce(excluded.disbursed_on, d.disbursed_on),
                reference = CASE WHEN excluded.reference = '' THEN d.reference
                                 ELSE excluded.reference END,
                updated_at = excluded.updated_at
            WHERE (d.amount, d.channel, d.status) IS DISTINCT FROM
                  (excluded.amount, excluded.channel, excluded.status)
               OR (excluded.disbursed_on IS NOT NULL
                   AND d.disbursed_on IS DISTINCT FROM excluded.disbursed_on)
               OR (excluded.reference <> '' AND d.reference <> excluded.reference)
            RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
        FROM upserted
        """,
        {"kind": DisbursementKind.CASH, "now": now},
    )
    report.created, report.updated = cursor.fetchone()
    cursor.execute(f"SELECT count(*) FROM {MATCHED} WHERE error IS NULL AND row_no = first_row")
    report.unchanged = cursor.fetchone()[0] - report.created - report.updated
