"""The messy-file rules of docs/registry-format.md: where the header is, what the columns are
called, what Excel does to numbers and dates, codes or words, blank rows."""

import datetime

import pytest

from households.choices import MaritalStatus, NikFlag
from households.importer import FileRejected, process
from households.importer.columns import canonical, fold
from households.models import Household, Member
from tests.imports.files import (
    DESA_A1,
    HEADER,
    family,
    nik_of,
    sheet,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}
KINDS = list(WRITERS)


def run(tmp_path, cells, kind="csv", **options):
    path = WRITERS[kind](tmp_path / f"registry.{kind}", cells)
    options.setdefault("dry_run", False)
    return process(path, **options)


def messages(issues):
    return [f"{issue.row}:{issue.column}:{issue.message}" for issue in issues]


@pytest.mark.parametrize("kind", KINDS)
def test_title_and_blank_rows_above_the_header_are_skipped(tmp_path, kind):
    cells = [
        ["DATA BNBA KABUPATEN MALANG"],
        [],
        ["Keadaan per 01/06/2026", None, "halaman 1"],
        [],
        *sheet(family(1)),
    ]
    report = run(tmp_path, cells, kind)
    assert report.header_row == 5
    assert report.rows == 3 and report.errors == []
    assert Member.objects.count() == 3


@pytest.mark.parametrize("kind", KINDS)
def test_error_rows_are_numbered_as_excel_shows_them(tmp_path, kind):
    rows = family(1)
    rows[1]["jenis_kelamin"] = "X"
    report = run(tmp_path, [["JUDUL"], [], *sheet(rows)], kind)
    # title (1), blank (2), header (3), first member (4), the bad one (5); its family is held
    assert [(issue.row, issue.column) for issue in report.errors] == [
        (4, ""),
        (5, "jenis_kelamin"),
        (6, ""),
    ]
    assert "baris 5" in report.errors[0].message


@pytest.mark.parametrize(
    "spelling",
    [
        {"no_kk": "No. KK", "kode_desa": "Kode Desa", "nik": "NIK", "nama": " Nama "},
        {"no_kk": "NO_KK", "jenis_kelamin": "JENIS.KELAMIN", "tanggal_lahir": "Tanggal  Lahir"},
        {"no_kk": "no kk", "hubungan_keluarga": "Hubungan-Keluarga", "rt": "RT"},
        {"luas_lantai": "Luas Lantai (m²)", "desil": "Desil"},
    ],
)
def test_header_names_are_folded(tmp_path, spelling):
    header = [spelling.get(column, column) for column in HEADER]
    rows = family(1, luas_lantai="36,5")
    cells = sheet(rows, HEADER)
    cells[0] = header
    if "luas_lantai" in spelling:
        cells[0].append(spelling["luas_lantai"])
        for line in cells[1:]:
            line.append("36,5")
    report = run(tmp_path, cells)
    assert report.errors == [] and report.unknown_columns == []
    assert Member.objects.count() == 3


def test_national_header_names_are_recognised(tmp_path):
    national = {
        "nik": "NOMOR_INDUK_KEPENDUDUKAN",
        "no_kk": "NOMOR_KARTU_KELUARGA",
        "kode_desa": "KODE_KELURAHAN_DESA",
        "desil": "DESIL_NASIONAL",
        "hubungan_keluarga": "STATUS_HUBUNGAN_KELUARGA",
        "alamat": "ALAMAT_KTP",
    }
    cells = sheet(family(1, desil=3, alamat="DUSUN KRAJAN"))
    cells[0] = [national.get(column, column) for column in HEADER]
    report = run(tmp_path, cells, "xlsx")
    assert report.errors == [] and report.unknown_columns == []
    household = Household.objects.get()
    assert household.desil == 3 and household.alamat == "DUSUN KRAJAN"


def test_fold_and_aliases():
    assert fold("No. KK") == fold("NO_KK") == fold("no kk") == "no_kk"
    assert canonical(fold("Nomor Kartu Keluarga")) == "no_kk"
    assert canonical(fold("Daya Terpasang")) == "daya_listrik"
    assert canonical(fold("aset_bergerak_sepeda_motor")) == "aset_bergerak_sepeda_motor"
    assert canonical(fold("Keterangan")) is None


def test_unknown_columns_are_ignored_and_listed(tmp_path):
    cells = sheet(family(1))
    cells[0] += ["Keterangan", "No. Urut"]
    for line in cells[1:]:
        line += ["catatan petugas", 7]
    report = run(tmp_path, cells)
    assert report.unknown_columns == ["Keterangan", "No. Urut"]
    assert report.errors == [] and Member.objects.count() == 3


def test_a_missing_required_column_refuses_the_file_naming_it(tmp_path):
    header = [column for column in HEADER if column != "tanggal_lahir"]
    cells = sheet(family(1), header)
    with pytest.raises(FileRejected, match="tanggal_lahir"):
        run(tmp_path, cells)
    assert Household.objects.count() == 0


def test_duplicate_header_refuses_the_file(tmp_path):
    cells = sheet(family(1))
    cells[0][1] = "NIK"
    with pytest.raises(FileRejected, match="nik"):
        run(tmp_path, cells)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_nik_stored_as_a_number_is_an_error_never_a_guess(tmp_path, kind):
    rows = family(1)
    cells = sheet(rows)
    nik_column = HEADER.index("nik")
    cells[1][nik_column] = int(rows[0]["nik"])  # a number cell in Excel
    cells[2][nik_column] = float(rows[1]["nik"])
    report = run(tmp_path, cells, kind)
    assert [(issue.row, issue.column) for issue in report.errors[:2]] == [(2, "nik"), (3, "nik")]
    assert "angka" in report.errors[0].message
    assert Member.objects.count() == 0


def test_nik_in_scientific_notation_from_a_csv_is_an_error(tmp_path):
    rows = family(1)
    rows[0]["nik"] = "3.50701E+15"
    report = run(tmp_path, sheet(rows))
    problem = next(issue for issue in report.errors if issue.column == "nik")
    assert problem.row == 2 and "3.50701E+15" in problem.message
    assert Member.objects.count() == 0


def test_apostrophes_and_spaces_around_numbers_are_cleaned(tmp_path):
    rows = family(1)
    clean_nik, clean_kk = rows[0]["nik"], rows[0]["no_kk"]
    rows[0]["nik"] = "'" + clean_nik
    rows[1]["nik"] = " " + rows[1]["nik"][:8] + " " + rows[1]["nik"][8:] + " "
    for row in rows:
        row["no_kk"] = "'" + clean_kk
    report = run(tmp_path, sheet(rows))
    assert report.errors == []
    assert Household.objects.get().no_kk == clean_kk
    assert Member.objects.filter(nik=clean_nik).exists()


@pytest.mark.parametrize("digits", [15, 17])
def test_nik_or_no_kk_of_wrong_length_is_an_error(tmp_path, digits):
    rows = family(1)
    rows[2]["nik"] = (rows[2]["nik"] + "9")[:digits]
    report = run(tmp_path, sheet(rows))
    problem = next(issue for issue in report.errors if issue.column == "nik")
    assert problem.row == 4 and f"bukan {digits}" in problem.message
    other = family(2)
    for row in other:
        row["no_kk"] = row["no_kk"][:digits] if digits < 16 else row["no_kk"] + "1"
    report = run(tmp_path, sheet(other))
    assert {issue.column for issue in report.errors} >= {"no_kk"}
    assert report.households_created == 0


@pytest.mark.parametrize(
    "written",
    [datetime.date(1980, 6, 5), "05/06/1980", "5/6/1980", "05-06-1980", "1980-06-05"],
)
def test_date_variants(tmp_path, written):
    rows = family(1)
    rows[0]["tanggal_lahir"] = written
    report = run(tmp_path, sheet(rows), "xlsx")
    assert report.errors == []
    head = Member.objects.get(hubungan_keluarga=1)
    assert head.tanggal_lahir == datetime.date(1980, 6, 5)


@pytest.mark.parametrize("written", ["31/02/1980", "1980/31/12", "kemarin", "05/06/80"])
def test_unreadable_dates_are_errors(tmp_path, written):
    rows = family(1)
    rows[0]["tanggal_lahir"] = written
    report = run(tmp_path, sheet(rows))
    assert [issue.column for issue in report.errors if issue.row == 2] == ["tanggal_lahir"]
    assert Member.objects.count() == 0


def test_codes_or_words_for_coded_fields(tmp_path):
    rows = family(1, size=4)
    rows[0].update(jenis_kelamin="L", hubungan_keluarga="Kepala Keluarga", status_kawin="2")
    rows[1].update(jenis_kelamin="Perempuan", hubungan_keluarga="istri", status_kawin="Kawin")
    rows[2].update(jenis_kelamin="P", hubungan_keluarga="Anak", status_kawin="belum kawin")
    rows[3].update(jenis_kelamin="laki-laki", hubungan_keluarga=3, status_kawin=1)
    report = run(tmp_path, sheet(rows), "xlsx")
    assert report.errors == []
    stored = list(
        Member.objects.order_by("id").values_list(
            "jenis_kelamin", "hubungan_keluarga", "status_kawin"
        )
    )
    assert stored == [
        (1, 1, MaritalStatus.MARRIED),
        (2, 2, MaritalStatus.MARRIED),
        (2, 3, MaritalStatus.SINGLE),
        (1, 3, MaritalStatus.SINGLE),
    ]


def test_unknown_code_is_an_error_naming_the_value(tmp_path):
    rows = family(1)
    rows[1]["hubungan_keluarga"] = "tetangga"
    report = run(tmp_path, sheet(rows))
    problem = next(issue for issue in report.errors if issue.column == "hubungan_keluarga")
    assert problem.row == 3 and "tetangga" in problem.message


@pytest.mark.parametrize("kind", KINDS)
def test_blank_rows_are_skipped_silently_and_whitespace_cells_are_empty(tmp_path, kind):
    first, second = family(1), family(2)
    first[0]["pekerjaan"] = "   "
    cells = sheet(first + second)
    cells.insert(3, [])
    cells.insert(4, ["  ", None, ""])
    report = run(tmp_path, cells, kind)
    assert report.errors == [] and report.warnings == []
    assert report.rows == 6 and report.skipped_empty == 2
    assert Member.objects.get(nama="BUDI SANTOSO 1").pekerjaan == ""


def test_semicolon_csv_from_indonesian_excel(tmp_path):
    path = write_csv(
        tmp_path / "titik-koma.csv", sheet(family(1)), delimiter=";", encoding="cp1252"
    )
    report = process(path, dry_run=False)
    assert report.errors == [] and Member.objects.count() == 3


def test_nik_warnings_import_the_row_and_flag_the_member(tmp_path):
    rows = family(1)
    head = rows[0]
    # A woman's NIK on the head (a man): sex mismatch; the spouse has no NIK at all.
    head["nik"] = nik_of(DESA_A1, datetime.date(1980, 6, 5), 2, 77)
    rows[1]["nik"] = ""
    report = run(tmp_path, sheet(rows))
    assert report.errors == []
    assert {(issue.row, issue.column) for issue in report.warnings} == {(2, "nik"), (3, "nik")}
    assert Member.objects.get(hubungan_keluarga=1).nik_flags == [NikFlag.SEX_MISMATCH]
    spouse = Member.objects.get(hubungan_keluarga=2)
    assert spouse.nik is None and spouse.nik_flags == [NikFlag.MISSING]


def test_unknown_kecamatan_prefix_is_a_warning(tmp_path):
    rows = family(1)
    rows[0]["nik"] = "359999" + rows[0]["nik"][6:]
    report = run(tmp_path, sheet(rows))
    assert report.errors == []
    assert "359999" in report.warnings[0].message
    assert Member.objects.get(hubungan_keluarga=1).nik_flags == [NikFlag.UNKNOWN_PREFIX]


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_numbering_row_under_the_header_is_skipped(tmp_path, kind):
    cells = sheet(family(1))
    cells.insert(
        1,
        [f"({n})" for n in range(1, len(HEADER) + 1)]
        if kind == "csv"
        else list(range(1, len(HEADER) + 1)),
    )
    report = run(tmp_path, cells, kind)
    assert report.errors == [] and report.rows == 3
    assert Member.objects.count() == 3


def test_utf16_tab_separated_text_from_excel(tmp_path):
    path = write_csv(tmp_path / "unicode.txt", sheet(family(1)), delimiter="\t", encoding="utf-16")
    report = process(path, dry_run=False)
    assert report.errors == [] and Member.objects.count() == 3


def test_a_bad_household_cell_repeated_on_every_member_row_is_an_error_on_each(tmp_path):
    rows = family(1, desil="sebelas") + family(2)
    report = run(tmp_path, sheet(rows))
    assert [(issue.row, issue.column) for issue in report.errors] == [
        (2, "desil"),
        (3, "desil"),
        (4, "desil"),
    ]
    assert report.households_created == 1


def test_the_data_sheet_may_follow_a_cover_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Daftar keluarga miskin Kabupaten Malang"])
    book.active.append(["Diisi oleh operator desa"])
    data = book.create_sheet("BNBA")
    for line in sheet(family(1)):
        data.append(line)
    path = tmp_path / "dua-lembar.xlsx"
    book.save(path)
    report = process(path, dry_run=False)
    assert report.errors == [] and Member.objects.count() == 3
