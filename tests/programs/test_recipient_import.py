"""Recipient lists into enrolments: matching, repeats, flags, scope, bad input, the CLI."""

import csv
import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from households.choices import Relationship, Sex
from programs.importer import process
from programs.models import Enrolment, EnrolmentStatusChange
from tests.conftest import DESA_A1, DESA_B1
from tests.households import registry_factory as make
from tests.programs import factories


def xlsx(path, rows, header=("No", "NIK KPM", "No. KK", "Nama Penerima", "Tahap"), title=True):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["DAFTAR PENERIMA PKH TAHAP 2 KABUPATEN MALANG"])
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def csv_file(path, rows, header=("NIK", "Nomor KK", "Nama KPM")):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def pkh(db):
    return factories.pkh()


@pytest.fixture
def families(db):
    """Two families of kecamatan A (desil 2 and desil 7) and one of kecamatan B."""
    poor = make.household(desil=2)
    head = make.member(poor, "Sutrisno", make.years_old(45))
    wife = make.member(poor, "Sumiati", make.years_old(40), Sex.FEMALE, Relationship.SPOUSE)
    rich = make.household(desil=7)
    rich_head = make.member(rich, "Hartono", make.years_old(50))
    far = make.household(desa=DESA_B1, desil=1)
    far_head = make.member(far, "Wagiman", make.years_old(60))
    return {
        "poor": poor,
        "head": head,
        "wife": wife,
        "rich": rich,
        "rich_head": rich_head,
        "far": far,
        "far_head": far_head,
    }


def test_a_spouse_nik_or_a_no_kk_alone_enrols_the_household(tmp_path, pkh, families, operator_a):
    path = xlsx(
        tmp_path / "pkh.xlsx",
        [
            (1, families["wife"].nik, "", "Sumiati", "2"),
            (2, "", families["rich"].no_kk, "Hartono", "2"),
        ],
    )
    report = process(path, program=pkh, user=operator_a)
    assert (report.rows, report.created, report.errors) == (2, 2, [])
    enrolled = {e.household_id: e for e in Enrolment.objects.all()}
    assert set(enrolled) == {families["poor"].pk, families["rich"].pk}
    assert enrolled[families["poor"].pk].member_id is None
    assert enrolled[families["poor"].pk].status == "active"
    assert enrolled[families["poor"].pk].source == "recipient_list"
    assert enrolled[families["poor"].pk].last_period == "2"
    # Above the ceiling: enrolled, flagged, with a warning on its row (Excel row 5).
    assert enrolled[families["rich"].pk].flags == ["above_ceiling"]
    assert [(w.row, "desil 7" in w.message) for w in report.warnings] == [(5, True)]
    assert EnrolmentStatusChange.objects.count() == 2


def test_not_found_and_outside_the_area_say_the_same(tmp_path, pkh, families, operator_a):
    nowhere = "3507011201900099"
    path = xlsx(
        tmp_path / "pkh.xlsx",
        [(1, families["far_head"].nik, "", "Wagiman", ""), (2, nowhere, "", "Siapa", "")],
    )
    report = process(path, program=pkh, user=operator_a)
    assert report.created == 0
    assert [(e.row, e.column) for e in report.errors] == [(4, "NIK KPM"), (5, "NIK KPM")]
    assert report.errors[0].message == report.errors[1].message
    assert not Enrolment.objects.exists()


def test_repeats_and_a_second_member_enrol_the_household_once(tmp_path, pkh, families, operator_a):
    path = xlsx(
        tmp_path / "pkh.xlsx",
        [
            (1, families["head"].nik, "", "Sutrisno", ""),
            (2, families["head"].nik, "", "Sutrisno", ""),
            (3, families["wife"].nik, "", "Sumiati", ""),
        ],
    )
    report = process(path, program=pkh, user=operator_a)
    assert report.created == 1 and report.errors == []
    assert [w.row for w in report.warnings] == [5, 6]
    assert "Baris ganda" in report.warnings[0].message
    assert "Anggota lain" in report.warnings[1].message
    assert Enrolment.objects.count() == 1


def test_inactive_household_is_flagged(tmp_path, pkh, families, operator_a):
    families["poor"].status = "moved"
    families["poor"].save()
    path = xlsx(tmp_path / "pkh.xlsx", [(1, families["head"].nik, "", "Sutrisno", "")])
    report = process(path, program=pkh, user=operator_a)
    assert report.created == 1
    assert Enrolment.objects.get().flags == ["household_inactive"]
    assert "tidak aktif" in report.warnings[0].message


def test_reimport_is_idempotent_and_a_new_tahap_updates(tmp_path, pkh, families, operator_a):
    rows = [(1, families["head"].nik, "", "Sutrisno", "1")]
    process(xlsx(tmp_path / "a.xlsx", rows), program=pkh, user=operator_a)
    again = process(xlsx(tmp_path / "b.xlsx", rows), program=pkh, user=operator_a)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    later = process(
        xlsx(tmp_path / "c.xlsx", [(1, families["head"].nik, "", "Sutrisno", "2")]),
        program=pkh,
        user=operator_a,
    )
    assert (later.created, later.updated, later.unchanged) == (0, 1, 0)
    assert Enrolment.objects.get().last_period == "2"
    assert EnrolmentStatusChange.objects.count() == 1


def test_dry_run_writes_nothing_but_counts(tmp_path, pkh, families, operator_a):
    path = xlsx(tmp_path / "pkh.xlsx", [(1, families["head"].nik, "", "Sutrisno", "")])
    report = process(path, program=pkh, user=operator_a, dry_run=True)
    assert report.created == 1
    assert not Enrolment.objects.exists()


def test_excel_mangled_nik_and_empty_rows(tmp_path, pkh, families, operator_a):
    path = csv_file(
        tmp_path / "pkh.csv",
        [
            ("3.50701E+15", "", "Rusak"),
            ("", "", ""),
            (f"'{families['head'].nik}", "", "Sutrisno"),
            ("", "", "Tanpa nomor"),
        ],
    )
    report = process(path, program=pkh, user=operator_a)
    assert report.rows == 3 and report.skipped_empty == 1 and report.created == 1
    assert [(e.row, e.column) for e in report.errors] == [(2, "NIK"), (5, "NIK")]
    assert "Excel" in report.errors[0].message


def test_member_program_enrols_the_member(tmp_path, families, operator_a):
    pip = factories.program("PIP", beneficiary_unit="member")
    path = xlsx(
        tmp_path / "pip.xlsx",
        [(1, families["wife"].nik, "", "Sumiati", ""), (2, "", families["poor"].no_kk, "", "")],
    )
    report = process(path, program=pip, user=operator_a)
    assert report.created == 1
    assert Enrolment.objects.get().member == families["wife"]
    assert [e.row for e in report.errors] == [5]


def test_cli_json_keys_exactly(tmp_path, pkh, families, district_admin):
    path = xlsx(tmp_path / "pkh.xlsx", [(1, families["far_head"].nik, "", "Wagiman", "1")])
    out = StringIO()
    call_command(
        "import_enrolments",
        str(path),
        "--program",
        "pkh",
        "--format",
        "json",
        "--user",
        "district_admin",
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


def test_cli_refuses_unknown_program_and_wrong_file(tmp_path, pkh):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_enrolments", str(path), "--program", "NOPE", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import_enrolments", str(path), "--program", "PKH", stdout=StringIO())
    assert not Enrolment.objects.exists()


def test_a_file_without_the_columns_is_refused(tmp_path, pkh, operator_a):
    from households.importer.errors import FileRejected

    path = csv_file(tmp_path / "x.csv", [("a", "b")], header=("Alamat", "RT"))
    with pytest.raises(FileRejected, match="NIK"):
        process(path, program=pkh, user=operator_a)


def test_desa_user_sees_only_their_desa(tmp_path, pkh, families, puskesos_a):
    other_desa = make.household(desa=DESA_A1[:-1] + "2", desil=1)
    person = make.member(other_desa, "Lain", make.years_old(30))
    path = xlsx(
        tmp_path / "p.xlsx",
        [(1, person.nik, "", "Lain", ""), (2, families["head"].nik, "", "", "")],
    )
    report = process(path, program=pkh, user=puskesos_a)
    assert report.created == 1 and [e.row for e in report.errors] == [4]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_lists_saved_as_xls_or_ods_match_like_xlsx(tmp_path, pkh, families, operator_a, kind):
    from tests.imports.files import write_ods, write_xls

    cells = [
        ["DAFTAR PENERIMA PKH TAHAP 2"],
        [],
        ["No", "NIK KPM", "No. KK", "Nama Penerima", "Tahap"],
        [1, families["wife"].nik, None, "Sumiati", 2],
        [2, None, families["rich"].no_kk, "Hartono", 2],
        [3, "3507999999999999", None, "Tidak Ada", 2],
    ]
    writer = write_xls if kind == "xls" else write_ods
    report = process(writer(tmp_path / f"pkh.{kind}", cells), program=pkh, user=operator_a)
    assert (report.rows, report.created) == (3, 2)
    assert [(issue.row, issue.column) for issue in report.errors] == [(6, "NIK KPM")]
    enrolled = Enrolment.objects.get(household=families["poor"])
    assert enrolled.last_period == "2"  # a whole-number cell, not "2.0"
