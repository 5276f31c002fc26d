"""Files that cannot be read at all: a clear Indonesian refusal and nothing written."""

import time

import pytest
from django.apps import apps

from households.importer import FileRejected, process
from households.models import Household, Member
from tests.imports.files import empty_rows_sheet as empty_rows_xml
from tests.imports.files import (
    family,
    inline_sheet_xml,
    sheet,
    truncated,
    write_csv,
    write_ods,
    write_ole,
    write_raw_xlsx,
    write_xlsx,
    write_zip_bomb,
)

pytestmark = pytest.mark.django_db


def every_table_count() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def nothing_written():
    before = every_table_count()
    yield
    assert every_table_count() == before


def refused(path, match, **options):
    with pytest.raises(FileRejected, match=match):
        process(path, dry_run=False, **options)


def test_not_a_spreadsheet(tmp_path, nothing_written):
    picture = tmp_path / "foto.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    refused(picture, "rusak")
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    refused(binary, "bukan spreadsheet")
    document = tmp_path / "surat.docx"
    import zipfile

    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    refused(document, "bukan buku kerja Excel")


def test_corrupted_xlsx(tmp_path, nothing_written):
    whole = write_xlsx(tmp_path / "utuh.xlsx", sheet(family(1)))
    refused(truncated(tmp_path / "rusak.xlsx", whole), "rusak")


def test_a_broken_xls_is_refused_with_save_as_xlsx(tmp_path, nothing_written):
    refused(write_ole(tmp_path / "lama.xls", encrypted=False), r"\.xls.*simpan\s+sebagai \.xlsx")


def test_password_protected_xlsx(tmp_path, nothing_written):
    refused(write_ole(tmp_path / "rahasia.xlsx", encrypted=True), "kata sandi")


def test_zip_bomb(tmp_path, nothing_written):
    bomb = write_zip_bomb(tmp_path / "bom.xlsx")
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    refused(bomb, "zip bomb")
    assert time.monotonic() - started < 2


def test_file_over_the_size_limit(tmp_path, settings, nothing_written):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    rows = []
    for n in range(1, 4000):
        rows += family(n)
    path = write_csv(tmp_path / "besar.csv", sheet(rows))
    assert path.stat().st_size > 1024 * 1024
    refused(path, "batasnya 1 MB")


def test_formula_without_a_cached_value_is_an_error_naming_row_and_column(tmp_path):
    cells = sheet(family(1) + family(2))
    cells[2][cells[0].index("nama")] = '=CONCATENATE("SITI", " AMINAH")'
    report = process(write_xlsx(tmp_path / "rumus.xlsx", cells), dry_run=False)
    problem = next(issue for issue in report.errors if issue.column == "nama")
    assert problem.row == 3 and "rumus" in problem.message
    assert report.families_held_back == 1 and Household.objects.count() == 1


def test_formula_with_a_cached_value_uses_the_value(tmp_path):
    xml = inline_sheet_xml(
        sheet(family(1)),
        {(3, "nama"): '<c r="{ref}" t="str"><f>UPPER(X1)</f><v>SITI RUMUS</v></c>'},
    )
    report = process(write_raw_xlsx(tmp_path / "nilai.xlsx", xml), dry_run=False)
    assert report.errors == []
    assert Member.objects.filter(nama="SITI RUMUS").exists()


def test_excel_error_values_are_row_errors(tmp_path):
    xml = inline_sheet_xml(
        sheet(family(1)), {(2, "tanggal_lahir"): '<c r="{ref}" t="e"><v>#VALUE!</v></c>'}
    )
    report = process(write_raw_xlsx(tmp_path / "galat.xlsx", xml), dry_run=False)
    problem = next(issue for issue in report.errors if issue.column == "tanggal_lahir")
    assert problem.row == 2 and "#VALUE!" in problem.message


def test_a_sheet_of_1048576_empty_rows_is_refused_fast(tmp_path, nothing_written):
    path = write_raw_xlsx(tmp_path / "kosong.xlsx", empty_rows_xml())
    started = time.monotonic()
    refused(path, "semua barisnya kosong")
    assert time.monotonic() - started < 10


def test_data_followed_by_a_million_formatted_empty_rows_imports_fast(tmp_path):
    cells = sheet(family(1))
    leading = [["" if value is None else str(value) for value in line] for line in cells]
    path = write_raw_xlsx(tmp_path / "ekor.xlsx", empty_rows_xml(leading=leading))
    started = time.monotonic()
    report = process(path, dry_run=False)
    assert time.monotonic() - started < 10
    assert (report.rows, report.skipped_empty, report.errors) == (3, 0, [])
    assert Member.objects.count() == 3


def test_header_only_file_is_refused(tmp_path, nothing_written):
    refused(write_csv(tmp_path / "judul.csv", sheet([])), "Tidak ada baris data")


def test_no_header_row_is_refused(tmp_path, nothing_written):
    cells = [["a", "b", "c"]] * 40
    refused(write_csv(tmp_path / "acak.csv", cells), "Baris judul kolom tidak ditemukan")


def test_shared_strings_and_numbers_as_excel_writes_them(tmp_path):
    """The layout Excel itself writes: text in the shared-string table, numbers as numbers."""
    rows = family(1)
    header = sheet(rows)[0]
    strings = list(header)
    xml_rows = []
    for number, line in enumerate(sheet(rows), start=1):
        parts = []
        for index, value in enumerate(line):
            ref = f"{chr(65 + index)}{number}"
            if isinstance(value, int):
                parts.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in strings:
                    strings.append(value)
                parts.append(f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>')
        xml_rows.append(f'<row r="{number}" spans="1:14">{"".join(parts)}</row>')
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    )
    report = process(write_raw_xlsx(tmp_path / "excel.xlsx", xml, strings), dry_run=False)
    assert report.errors == [] and Member.objects.count() == 3


def test_a_truncated_ods_is_refused(tmp_path, nothing_written):
    whole = write_ods(tmp_path / "utuh.ods", sheet(family(1)))
    refused(truncated(tmp_path / "rusak.ods", whole), r"\.ods")


def test_an_ods_too_big_to_read_whole_asks_for_xlsx_or_csv(tmp_path, nothing_written, monkeypatch):
    from households.importer import calamine

    monkeypatch.setattr(calamine, "MAX_ODS_XML_MB", 0)
    refused(write_ods(tmp_path / "besar.ods", sheet(family(1))), r"\.xlsx atau \.csv")


def test_an_ods_zip_bomb_is_refused_before_reading(tmp_path, nothing_written):
    import zipfile

    bomb = tmp_path / "bom.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with archive.open("content.xml", "w", force_zip64=True) as content:
            for _ in range(60):
                content.write(b" " * (1024 * 1024))
    started = time.monotonic()
    refused(bomb, "zip bomb")
    assert time.monotonic() - started < 2


def test_an_xls_with_the_data_on_the_second_visible_sheet(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Petunjuk").write(0, 0, "Isi data di lembar berikutnya")
    data = book.add_sheet("BNBA")
    for r, line in enumerate(sheet(family(1))):
        for c, value in enumerate(line):
            if value is not None:
                data.write(r, c, value)
    path = tmp_path / "dua-lembar.xls"
    book.save(str(path))
    report = process(path, dry_run=False)
    assert report.errors == [] and Member.objects.count() == 3
