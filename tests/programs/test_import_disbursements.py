"""Distribution results (bank / PT Pos) into disbursements: matching, upsert, bad rows, the CLI."""

import datetime
import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from programs.importer.disbursements import process
from programs.models import Disbursement, Enrolment
from tests.conftest import DESA_B1
from tests.households import registry_factory as make
from tests.programs import factories

HEADER = ("No", "NIK KPM", "No KK", "Tahun", "Tahap", "Nominal", "Status", "Saluran", "Tanggal")
TODAY = datetime.date(2025, 6, 30)


def xlsx(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["HASIL PENYALURAN BANSOS PKH TAHAP 2 — BANK HIMBARA"])
    sheet.append(["Kabupaten Malang"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def setup(db):
    pkh = factories.pkh()
    poor = make.household(desil=2)
    head = make.member(poor, "Sutrisno", make.years_old(45))
    wife = make.member(poor, "Sumiati", make.years_old(40))
    gone = make.household(desil=1)
    gone_head = make.member(gone, "Paimin", make.years_old(70))
    stranger = make.household(desil=3)
    stranger_head = make.member(stranger, "Tukiman", make.years_old(33))
    far = make.household(desa=DESA_B1, desil=1)
    far_head = make.member(far, "Wagiman", make.years_old(60))
    active = Enrolment.objects.create(
        program=pkh, household=poor, status="active", source="system", start_date=TODAY
    )
    exited = Enrolment.objects.create(
        program=pkh, household=gone, status="exited", source="system", start_date=TODAY
    )
    Enrolment.objects.create(
        program=pkh, household=far, status="active", source="system", start_date=TODAY
    )
    return {
        "pkh": pkh,
        "poor": poor,
        "head": head,
        "wife": wife,
        "gone_head": gone_head,
        "stranger_head": stranger_head,
        "far_head": far_head,
        "active": active,
        "exited": exited,
    }


def test_spouse_nik_and_no_kk_match_and_reimport_is_idempotent(tmp_path, setup, operator_a):
    path = xlsx(
        tmp_path / "salur.xlsx",
        [
            (1, setup["wife"].nik, "", 2025, 1, "Rp 750.000", "Tersalurkan", "BRI", "15/03/2025"),
            (2, "", setup["poor"].no_kk, 2025, 2, 750000, "GAGAL", "PT Pos", None),
        ],
    )
    report = process(path, program=setup["pkh"], user=operator_a, today=TODAY)
    assert (report.rows, report.created, report.errors, report.warnings) == (2, 2, [], [])
    rows = {d.period: d for d in Disbursement.objects.all()}
    assert rows[1].enrolment == setup["active"]
    assert (rows[1].amount, rows[1].status, rows[1].channel) == (750000, "disbursed", "bank_kks")
    assert rows[1].disbursed_on == datetime.date(2025, 3, 15)
    assert (rows[2].status, rows[2].channel) == ("failed", "pos")
    again = process(path, program=setup["pkh"], user=operator_a, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # A later file with the retried payment updates the period (upsert on enrolment, year, tahap).
    retried = xlsx(
        tmp_path / "ulang.xlsx",
        [(1, setup["head"].nik, "", 2025, 2, 750000, "tersalurkan", "PT Pos", "01/06/2025")],
    )
    third = process(retried, program=setup["pkh"], user=operator_a, today=TODAY)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    assert Disbursement.objects.get(period=2).status == "disbursed"
    assert Disbursement.objects.count() == 2


def test_bad_rows_are_errors_with_clear_messages_and_the_rest_applies(tmp_path, setup, operator_a):
    nik = setup["head"].nik
    path = xlsx(
        tmp_path / "salur.xlsx",
        [
            (1, setup["gone_head"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
            (2, nik, "", 2025, 1, -5, "tersalurkan", "BRI", None),
            (3, nik, "", 2025, 1, 900_000_000, "tersalurkan", "BRI", None),
            (4, nik, "", 2027, 1, 750000, "tersalurkan", "BRI", None),
            (5, nik, "", 2025, 1, 750000, "entah", "BRI", None),
            (6, nik, "", 2025, 9, 750000, "tersalurkan", "BRI", None),
            (7, setup["stranger_head"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
            (8, nik, "", 2025, 1, 750000, "tersalurkan", "BRI", "01/01/2026"),
            (9, "3.50701E+15", "", 2025, 1, 750000, "tersalurkan", "BRI", None),
            (10, nik, "", 2025, 3, 750000, "dikembalikan", "Mandiri", None),
        ],
    )
    report = process(path, program=setup["pkh"], user=operator_a, today=TODAY)
    by_row = {issue.row: issue for issue in report.errors}
    assert sorted(by_row) == list(range(4, 13))
    assert "berakhir" in by_row[4].message
    assert "negatif" in by_row[5].message and by_row[5].column == "Nominal"
    assert "tidak wajar" in by_row[6].message
    assert "2027" in by_row[7].message and by_row[7].column == "Tahun"
    assert "entah" in by_row[8].message and by_row[8].column == "Status"
    assert "Tahap 9" in by_row[9].message
    assert "Tidak terdaftar sebagai peserta PKH" in by_row[10].message
    assert "masa depan" in by_row[11].message
    assert by_row[12].column == "NIK KPM"
    assert report.created == 1
    assert Disbursement.objects.get().status == "returned"


def test_outside_the_area_reads_as_not_found(tmp_path, setup, operator_a):
    nowhere = "3507011201900099"
    path = xlsx(
        tmp_path / "salur.xlsx",
        [
            (1, setup["far_head"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
            (2, nowhere, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
        ],
    )
    report = process(path, program=setup["pkh"], user=operator_a, today=TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(4, "NIK KPM"), (5, "NIK KPM")]
    assert report.errors[0].message == report.errors[1].message
    assert not Disbursement.objects.exists()


def test_repeated_period_is_a_warning_and_dry_run_writes_nothing(tmp_path, setup, operator_a):
    path = xlsx(
        tmp_path / "salur.xlsx",
        [
            (1, setup["head"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
            (2, setup["wife"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", None),
        ],
    )
    report = process(path, program=setup["pkh"], user=operator_a, dry_run=True, today=TODAY)
    assert (report.created, report.errors) == (1, [])
    assert [w.row for w in report.warnings] == [5]
    assert not Disbursement.objects.exists()


def test_missing_required_column_is_refused(tmp_path, setup, operator_a):
    from households.importer.errors import FileRejected

    path = xlsx(
        tmp_path / "salur.xlsx",
        [(1, setup["head"].nik, 2025, 1, 750000)],
        header=("No", "NIK", "Tahun", "Tahap", "Nominal"),
    )
    with pytest.raises(FileRejected, match="Status"):
        process(path, program=setup["pkh"], user=operator_a, today=TODAY)


def test_cli_json_shape_and_refusals(tmp_path, setup):
    path = xlsx(
        tmp_path / "salur.xlsx",
        [(1, setup["head"].nik, "", 2025, 1, 750000, "tersalurkan", "BRI", "02/01/2025")],
    )
    out = StringIO()
    call_command(
        "import_disbursements",
        str(path),
        "--program",
        "PKH",
        "--dry-run",
        "--format",
        "json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert list(result) == [
        "rows",
        "created",
        "updated",
        "unchanged",
        "skipped_empty",
        "errors",
        "warnings",
    ]
    assert (result["rows"], result["created"]) == (1, 1)
    assert not Disbursement.objects.exists()
    call_command("import_disbursements", str(path), "--program", "PKH", stdout=StringIO())
    assert Disbursement.objects.count() == 1
    bad = tmp_path / "salur.xlsx.pdf"
    bad.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError):
        call_command("import_disbursements", str(bad), "--program", "PKH", stdout=StringIO())
    with pytest.raises(CommandError, match="NOPE"):
        call_command("import_disbursements", str(path), "--program", "NOPE", stdout=StringIO())
    assert Disbursement.objects.count() == 1
