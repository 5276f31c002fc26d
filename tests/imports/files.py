"""Small registry files built inside the tests (CSV, .xlsx, .xls, .ods), and broken ones.

Rows are dicts of column → cell value; ``family(n)`` gives a valid family (a head, a spouse,
children) whose NIKs agree with their birth dates and sex. ``sheet(rows)`` turns rows into a
list of cell lists (header first) that the writers take, so a test can add title rows, blank
rows or odd header spellings around them.
"""

import datetime
import io
import zipfile
from pathlib import Path

from households.nik import make_nik

DESA_A1 = "35.07.01.2001"  # Donomulyo, kecamatan A of the test personas
DESA_A2 = "35.07.01.2002"
DESA_B1 = "35.07.02.2001"  # Pagak, kecamatan B

HEADER = [
    "kode_desa",
    "alamat",
    "rt",
    "rw",
    "no_kk",
    "desil",
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "status_kawin",
    "pekerjaan",
]

MEMBERS = [
    # (name, sex, birth date, relation, marital status)
    ("BUDI SANTOSO", 1, datetime.date(1980, 6, 5), 1, "kawin"),
    ("SITI AMINAH", 2, datetime.date(1983, 2, 14), 2, "kawin"),
    ("RINA SANTOSO", 2, datetime.date(2008, 11, 30), 3, "belum kawin"),
    ("ANDI SANTOSO", 1, datetime.date(2012, 7, 1), 3, "belum kawin"),
]


def no_kk(n: int, desa: str = DESA_A1) -> str:
    return f"{desa[:8].replace('.', '')}{n:010d}"


def nik_of(desa: str, born: datetime.date, sex: int, serial: int) -> str:
    return make_nik(desa[:8], born, sex, serial)


def family(n: int, *, desa: str = DESA_A1, size: int = 3, **household) -> list[dict]:
    """A valid family: household fields repeated on every member row."""
    rows = []
    for position, (name, sex, born, relation, marital) in enumerate(MEMBERS[:size]):
        rows.append(
            {
                "kode_desa": desa,
                "alamat": f"JL. MERDEKA NO. {n}",
                "rt": "001",
                "rw": "002",
                "no_kk": no_kk(n, desa),
                "desil": 2,
                "nik": nik_of(desa, born, sex, n * 10 + position),
                "nama": f"{name} {n}",
                "jenis_kelamin": sex,
                "tempat_lahir": "MALANG",
                "tanggal_lahir": born.strftime("%d/%m/%Y"),
                "hubungan_keluarga": relation,
                "status_kawin": marital,
                "pekerjaan": "Petani",
                **household,
            }
        )
    return rows


def sheet(rows: list[dict], header: list[str] | None = None) -> list[list]:
    """Header row + one list of cells per row dict (missing keys become empty cells)."""
    header = header or HEADER
    return [list(header)] + [[row.get(column) for column in header] for row in rows]


def write_csv(path: Path, cells: list[list], delimiter: str = ",", encoding="utf-8") -> Path:
    import csv

    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for line in cells:
            writer.writerow(["" if value is None else value for value in line])
    return path


def write_xlsx(path: Path, cells: list[list]) -> Path:
    """An .xlsx as Excel stores it (openpyxl): dates become date cells, ``=...`` a formula
    without a cached value, numbers stay numbers."""
    from openpyxl import Workbook

    book = Workbook()
    worksheet = book.active
    worksheet.title = "BNBA"
    for line in cells:
        worksheet.append(line)
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    book.save(path)
    return path


def write_xls(path: Path, cells: list[list]) -> Path:
    """An Excel 97–2003 .xls (xlwt): dates as date cells, numbers stay numbers."""
    import xlwt

    book = xlwt.Workbook()
    worksheet = book.add_sheet("BNBA")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, line in enumerate(cells):
        for c, value in enumerate(line):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                worksheet.write(r, c, value, date_style)
            else:
                worksheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, cells: list[list]) -> Path:
    """An OpenDocument spreadsheet (odfpy), as LibreOffice stores one."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="BNBA")
    for line in cells:
        row = TableRow()
        for value in line:
            if value is None:
                cell = TableCell()
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


# --- broken files ------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def write_ole(path: Path, *, encrypted: bool) -> Path:
    """An OLE compound file: an old .xls, or (with the streams Excel writes for a password) an
    encrypted .xlsx."""
    body = bytearray(OLE_MAGIC + b"\x00" * 504)
    names = ["EncryptionInfo", "EncryptedPackage"] if encrypted else ["Workbook"]
    for name in names:
        body += name.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 40
    body += b"\x00" * 2048
    path.write_bytes(bytes(body))
    return path


def write_zip_bomb(path: Path, inflated_mb: int = 60) -> Path:
    """A small .xlsx whose sheet inflates ~1000 times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet_file:
            block = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                sheet_file.write(block)
    return path


def inline_sheet_xml(cells: list[list], special: dict[tuple[int, str], str]) -> str:
    """Worksheet XML with every cell an inline string, except the cells ``special`` gives as
    raw XML by (row number, header name); ``{ref}`` in that XML becomes the cell reference."""
    header = cells[0]
    rows = []
    for number, line in enumerate(cells, start=1):
        parts = []
        for index, value in enumerate(line):
            ref = f"{chr(65 + index)}{number}"
            raw = special.get((number, header[index]))
            if raw is not None:
                parts.append(raw.format(ref=ref))
            else:
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        rows.append(f'<row r="{number}">{"".join(parts)}</row>')
    return f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'


def write_raw_xlsx(path: Path, sheet_xml: str, shared_strings: list[str] | None = None) -> Path:
    """A minimal hand-written .xlsx around the given worksheet XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared_strings)
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{MAIN_NS}" count="{len(shared_strings)}">{items}</sst>',
            )
    return path


def empty_rows_sheet(rows: int = 1_048_576, leading: list[list[str]] | None = None) -> str:
    """Worksheet XML with optional leading inline-string rows and then ``rows`` formatted but
    empty rows down to Excel's last row (what a sheet 'formatted to the bottom' looks like)."""
    parts = [
        f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:Z{rows}"/><sheetData>',
    ]
    for number, line in enumerate(leading or [], start=1):
        cells = "".join(
            f'<c r="{_letter(i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for i, value in enumerate(line)
            if value != ""
        )
        parts.append(f'<row r="{number}">{cells}</row>')
    start = len(leading or []) + 1
    parts.append("".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(start, rows + 1)))
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="BNBA" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def as_bytes(cells: list[list]) -> bytes:
    """The .xlsx bytes of ``cells`` (for upload tests)."""
    buffer = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    for line in cells:
        book.active.append(line)
    book.save(buffer)
    return buffer.getvalue()
