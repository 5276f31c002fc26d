"""Rules across rows and against the registry: one head per family, duplicate NIKs, desa and
area, and the family that is imported whole or not at all."""

import pytest

from households.choices import HouseholdStatus
from households.importer import process
from households.models import DuplicateCandidate, Household, ImportIssue, ImportJob, Member
from households.models.updates import DuplicateReason
from tests.imports.files import DESA_A1, DESA_B1, family, sheet, write_csv

pytestmark = pytest.mark.django_db


def run(tmp_path, rows, name="registry.csv", **options):
    path = write_csv(tmp_path / name, sheet(rows))
    options.setdefault("dry_run", False)
    return process(path, **options)


def issues_of(report, row):
    return [(issue.column, issue.message) for issue in report.errors if issue.row == row]


def test_a_family_with_two_heads_is_an_error_on_each_of_its_rows(tmp_path):
    rows = family(1) + family(2)
    rows[1]["hubungan_keluarga"] = 1
    report = run(tmp_path, rows)
    for row in (2, 3, 4):
        columns = [column for column, _m in issues_of(report, row)]
        assert columns == ["hubungan_keluarga"]
    assert "2 kepala keluarga (baris 2, 3)" in issues_of(report, 2)[0][1]
    assert report.families_held_back == 1
    assert report.households_created == 1 and Household.objects.count() == 1


def test_a_family_without_a_head_is_an_error_on_each_of_its_rows(tmp_path):
    rows = family(1)
    rows[0]["hubungan_keluarga"] = 2
    report = run(tmp_path, rows)
    assert {issue.row for issue in report.errors} == {2, 3, 4}
    assert all("tidak punya kepala keluarga" in issue.message for issue in report.errors)
    assert Household.objects.count() == 0


def test_one_bad_row_holds_back_its_whole_family_and_only_it(tmp_path):
    rows = family(1) + family(2) + family(3)
    rows[4]["tanggal_lahir"] = "30/02/1990"  # second member of family 2 (row 6)
    report = run(tmp_path, rows)
    assert issues_of(report, 6)[0][0] == "tanggal_lahir"
    for sibling in (5, 7):
        (column, message), *_ = issues_of(report, sibling)
        assert column == "" and "Ditahan" in message and "baris 6" in message
    assert report.families_held_back == 1
    assert report.households_created == 2 and report.members_created == 6
    assert not Household.objects.filter(no_kk=rows[3]["no_kk"]).exists()
    assert Member.objects.count() == 6


def test_the_same_nik_twice_in_the_file_is_an_error_on_both_rows(tmp_path):
    first, second = family(1), family(2)
    second[2]["nik"] = first[2]["nik"]
    report = run(tmp_path, first + second)
    assert ("nik", f"NIK {first[2]['nik']} juga ada di baris 7 file ini; satu NIK untuk satu "
            "orang.") in issues_of(report, 4)  # fmt: skip
    assert any("baris 4" in message for column, message in issues_of(report, 7) if column == "nik")
    assert report.families_held_back == 2 and Household.objects.count() == 0


def test_a_nik_already_in_another_household_is_refused_and_queued_as_duplicate(tmp_path):
    run(tmp_path, family(1), name="first.csv")
    existing = Member.objects.get(hubungan_keluarga=3)
    newcomer = family(2)
    newcomer[2]["nik"] = existing.nik
    job = ImportJob.objects.create(original_name="second.csv")

    preview = run(tmp_path, newcomer, name="second.csv", dry_run=True)
    assert DuplicateCandidate.objects.count() == 0  # a dry run writes nothing
    report = run(tmp_path, newcomer, name="second.csv", job=job)

    message = issues_of(report, 4)[0][1]
    assert existing.nik in message and existing.household.registry_id in message
    assert preview.errors == report.errors
    assert report.families_held_back == 1 and report.households_created == 0
    candidate = DuplicateCandidate.objects.get()
    assert candidate.member_a == existing and candidate.reason == DuplicateReason.SAME_NIK
    assert candidate.details["rows"][0]["row"]["row"] == 4
    # Running the same file again does not queue the pair twice.
    run(tmp_path, newcomer, name="second.csv", job=job)
    assert DuplicateCandidate.objects.count() == 1


def test_unknown_desa_is_an_error(tmp_path):
    rows = family(1, kode_desa="35.07.01.2999")
    report = run(tmp_path, rows)
    assert issues_of(report, 2) == [
        ("kode_desa", "kode_desa 35.07.01.2999 tidak ada di daftar wilayah.")
    ]
    assert Household.objects.count() == 0


def test_desa_code_without_dots_and_a_kecamatan_code(tmp_path):
    ok = family(1, kode_desa=DESA_A1.replace(".", ""))
    wrong = family(2, kode_desa="35.07.01")
    report = run(tmp_path, ok + wrong)
    assert Household.objects.get().desa_id == DESA_A1
    assert "bukan kode desa" in issues_of(report, 5)[0][1]


def test_rows_outside_the_users_area_are_errors(tmp_path, operator_a):
    inside = family(1)
    outside = family(2, desa=DESA_B1)
    report = run(tmp_path, inside + outside, user=operator_a)
    assert "di luar wilayah Anda (35.07.01)" in issues_of(report, 5)[0][1]
    assert list(Household.objects.values_list("desa_id", flat=True)) == [DESA_A1]


def test_an_existing_no_kk_outside_the_area_cannot_be_moved_in(tmp_path, operator_a):
    run(tmp_path, family(1, desa=DESA_B1), name="b.csv")
    moved = family(1, desa=DESA_B1)
    for row in moved:
        row["kode_desa"] = DESA_A1
    report = run(tmp_path, moved, name="a.csv", user=operator_a)
    assert any(column == "no_kk" for column, _m in issues_of(report, 2))
    assert Household.objects.get().desa_id == DESA_B1


def test_a_family_must_live_in_one_desa(tmp_path):
    rows = family(1)
    rows[2]["kode_desa"] = "35.07.01.2002"
    report = run(tmp_path, rows)
    assert issues_of(report, 4)[0][0] == "kode_desa"
    assert "baris 2" in issues_of(report, 4)[0][1]
    assert Household.objects.count() == 0


def test_household_fields_that_differ_from_the_head_row_are_a_warning(tmp_path):
    rows = family(1)
    rows[1]["alamat"] = "JL. LAIN"
    report = run(tmp_path, rows)
    assert report.errors == []
    assert [(issue.row, issue.column) for issue in report.warnings] == [(3, "")]
    assert Household.objects.get().alamat == rows[0]["alamat"]


def test_issues_are_written_to_the_job(tmp_path):
    rows = family(1) + family(2)
    rows[0]["jenis_kelamin"] = "?"
    rows[4]["nik"] = ""
    job = ImportJob.objects.create(original_name="x.csv")
    report = run(tmp_path, rows, job=job, dry_run=True)
    stored = list(job.issues.order_by("row", "id").values_list("row", "column", "level", "no_kk"))
    assert stored == [
        (2, "jenis_kelamin", "error", rows[0]["no_kk"]),
        (3, "", "error", rows[0]["no_kk"]),
        (4, "", "error", rows[0]["no_kk"]),
        (6, "nik", "warning", rows[4]["no_kk"]),
    ]
    assert report.errors_total == 3 and report.warnings_total == 1
    assert ImportIssue.objects.count() == 4


def test_a_family_no_longer_active_is_refused_with_its_reason_and_not_queued(tmp_path):
    """A re-uploaded export can hold a family the registry has since marked as moved: the same
    No KK is not matched (only active households are), and its members' NIKs are refused with
    a message that says why instead of being queued as duplicates of themselves."""
    rows = family(1)
    run(tmp_path, rows, name="first.csv")
    moved = Household.objects.get()
    Household.objects.filter(pk=moved.pk).update(status=HouseholdStatus.MOVED)

    report = run(tmp_path, rows, name="again.csv", job=ImportJob.objects.create())

    message = issues_of(report, 2)[0][1]
    assert moved.registry_id in message and "tidak aktif lagi" in message
    assert report.families_held_back == 1 and report.households_created == 0
    assert DuplicateCandidate.objects.count() == 0
    assert Household.objects.count() == 1 and Member.objects.count() == len(rows)
