"""Writing a report's sheets to .xlsx with openpyxl in write-only mode: rows stream to disk, so
the worker's memory stays flat however large the area. Every cell goes through
``core.spreadsheets.neutralise``; each sheet has column widths, number formats (``Rp #.##0``
for money), a frozen header and a filter; the first sheet is the cover."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.reports import DATE, INTEGER, MONEY, PERCENT, TEXT, Column, Sheet
from core.spreadsheets import neutralise

FORMATS = {
    TEXT: "@",
    INTEGER: "#,##0",
    MONEY: '"Rp "#,##0',
    DATE: "DD/MM/YYYY",
    PERCENT: "0.0%",
}
PROGRESS_EVERY = 2000


def _cell(sheet, value, kind=None, bold=False):
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if kind and value is not None:
        cell.number_format = FORMATS[kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def _cover(book, title, facts):
    sheet = book.create_sheet("Sampul")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
    sheet.append([_cell(sheet, str(title), bold=True)])
    sheet.append([])
    for label, value in facts:
        sheet.append([_cell(sheet, str(label), bold=True), _cell(sheet, str(value))])


def _sheet_title(title, used):
    base = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31] or "Data"
    name, number = base, 2
    while name in used:
        name = f"{base[:28]} {number}"
        number += 1
    used.add(name)
    return name


def write_report(path, title, facts, sheets, progress=None) -> int:
    """Write the cover and ``sheets`` to ``path``; ``progress(rows)`` is called now and then.
    Returns the number of data rows written."""
    book = Workbook(write_only=True)
    _cover(book, title, facts)
    used = {"Sampul"}
    written = 0
    for spec in sheets:
        written = _write_sheet(book, spec, used, written, progress)
    book.save(path)
    return written


def _write_sheet(book, spec: Sheet, used, written, progress):
    sheet = book.create_sheet(_sheet_title(spec.title, used))
    columns: list[Column] = spec.columns
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, str(c.header), bold=True) for c in columns])
    count = 0
    for row in spec.rows:
        sheet.append(
            [_cell(sheet, value, column.kind) for value, column in zip(row, columns, strict=True)]
        )
        count += 1
        if progress and (written + count) % PROGRESS_EVERY == 0:
            progress(written + count)
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    return written + count
