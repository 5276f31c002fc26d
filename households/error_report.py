"""Spreadsheets written for the people who import: an import's error report and the template.

Both are streamed with openpyxl's write-only mode, so a report of a district-sized file keeps the
worker's memory flat: the source rows and the job's issues are both read in row order and
merged, never held whole.
"""

import datetime
import itertools

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheets import neutralise
from households.models import ImportIssue
from households.models.imports import IssueLevel

# Identity numbers are text: as numbers Excel would round them to 15 digits.
TEXT_COLUMNS = {"nik", "no_kk", "kode_desa", "rt", "rw"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8F1FB")
NOTE_FILL = PatternFill("solid", fgColor="FDECEA")

SOURCE_ROW_COLUMN = "baris_asal"
NOTE_COLUMN = "keterangan_kesalahan"


def _cell(sheet, value, *, text=False, font=None, fill=None):
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if text:
        cell.number_format = "@"
    elif isinstance(value, datetime.date | datetime.datetime):
        cell.number_format = "DD/MM/YYYY"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _header(sheet, names):
    return [_cell(sheet, name, font=HEADER_FONT, fill=HEADER_FILL) for name in names]


def _issue_text(level, column, message):
    label = _("Kesalahan") if level == IssueLevel.ERROR else _("Peringatan")
    return f"[{label}] {column}: {message}" if column else f"[{label}] {message}"


def write_error_report(job, path) -> int:
    """The rows of the job's file that have an error or warning, as they were uploaded, with a
    last column saying what is wrong, so staff can correct them and upload the file again.

    Rows of a held-back family each carry an issue (the bad row its error, its siblings that
    they were held back), so the whole family is in the report. A second sheet lists every
    issue. Returns the number of source rows written."""
    from households.importer import TEMPLATE_COLUMNS, iter_source_rows

    issues = (
        ImportIssue.objects.filter(job=job)
        .order_by("row", "id")
        .values_list("row", "column", "level", "message", "no_kk")
    )
    workbook = Workbook(write_only=True)
    fixes = workbook.create_sheet(_("Perbaikan"))
    fixes.freeze_panes = "A2"
    known = [column for column, *_rest in TEMPLATE_COLUMNS]
    columns = None
    written = 0

    notes_by_row = itertools.groupby(issues.iterator(chunk_size=5000), key=lambda issue: issue[0])
    pending = next(notes_by_row, None)
    for row_number, values in iter_source_rows(job.file.path, original_name=job.original_name):
        while pending is not None and pending[0] < row_number:
            pending = next(notes_by_row, None)
        if pending is None:
            break
        if pending[0] != row_number:
            continue
        if columns is None:
            # The file's own columns, in the template's order; the two added ones last.
            columns = [c for c in known if c in values] + [c for c in values if c not in known]
            for index, name in enumerate([*columns, SOURCE_ROW_COLUMN, NOTE_COLUMN], start=1):
                width = 60 if name == NOTE_COLUMN else 18 if name in TEXT_COLUMNS else 14
                fixes.column_dimensions[get_column_letter(index)].width = width
            fixes.append(_header(fixes, [*columns, SOURCE_ROW_COLUMN, NOTE_COLUMN]))
        note = "; ".join(_issue_text(level, col, msg) for _row, col, level, msg, _kk in pending[1])
        fixes.append(
            [_cell(fixes, values.get(name), text=name in TEXT_COLUMNS) for name in columns]
            + [
                _cell(fixes, row_number),
                _cell(fixes, note, fill=NOTE_FILL),
            ]
        )
        written += 1
        pending = next(notes_by_row, None)
    if columns is None:
        fixes.append([_cell(fixes, _("Tidak ada baris data yang bermasalah."))])

    listing = workbook.create_sheet(_("Daftar masalah"))
    listing.freeze_panes = "A2"
    for index, width in enumerate((10, 20, 14, 20, 80), start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
    listing.append(
        _header(listing, [_("Baris"), _("Kolom"), _("Tingkat"), _("No. KK"), _("Pesan")])
    )
    levels = dict(IssueLevel.choices)
    for row_number, column, level, message, no_kk in issues.iterator(chunk_size=5000):
        listing.append(
            [
                _cell(listing, row_number or None),
                _cell(listing, column),
                _cell(listing, str(levels.get(level, level))),
                _cell(listing, no_kk, text=True),
                _cell(listing, message),
            ]
        )
    workbook.save(path)
    return written


def write_template(path_or_file) -> None:
    """The empty registry spreadsheet: the columns on the first sheet (identity numbers
    formatted as text) and a second sheet explaining every column and its codes."""
    from households.importer import TEMPLATE_COLUMN_FAMILIES, TEMPLATE_COLUMNS

    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(_("Data"))
    data.freeze_panes = "A2"
    names = [column for column, *_rest in TEMPLATE_COLUMNS]
    for index, name in enumerate(names, start=1):
        dimension = data.column_dimensions[get_column_letter(index)]
        dimension.width = max(14, len(name) + 4)
        if name in TEXT_COLUMNS:
            # The whole column is text, so numbers typed or pasted later keep every digit.
            dimension.number_format = "@"
    data.append(_header(data, names))

    guide = workbook.create_sheet(_("Petunjuk"))
    for index, width in enumerate((24, 10, 70, 60), start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    guide.append(_header(guide, [_("Kolom"), _("Wajib"), _("Penjelasan"), _("Kode / isian")]))
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, required, explanation, codes in TEMPLATE_COLUMNS:
        cells = [
            _cell(guide, column, font=HEADER_FONT),
            _cell(guide, _("wajib") if required else _("tidak")),
            _cell(guide, str(explanation)),
            _cell(guide, _codes_text(codes)),
        ]
        for cell in cells:
            cell.alignment = wrap
        guide.append(cells)
    for pattern, explanation, codes in TEMPLATE_COLUMN_FAMILIES:
        cells = [
            _cell(guide, pattern, font=HEADER_FONT),
            _cell(guide, _("tidak")),
            _cell(guide, str(explanation)),
            _cell(guide, _codes_text(codes)),
        ]
        for cell in cells:
            cell.alignment = wrap
        guide.append(cells)
    guide.append([])
    for line in (
        _("Satu baris per anggota keluarga; data keluarga diulang di setiap baris anggotanya."),
        _("Baris dengan No. KK yang sama adalah satu keluarga, dengan tepat satu kepala keluarga."),
        _("NIK dan No. KK 16 angka, ditulis sebagai teks (jangan diubah menjadi angka)."),
        _("Tanggal: dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, atau format tanggal Excel."),
    ):
        guide.append([_cell(guide, line)])
    workbook.save(path_or_file)


def _codes_text(codes) -> str:
    if not codes:
        return ""
    if isinstance(codes, str | Promise):
        return str(codes)
    if isinstance(codes, dict):
        codes = codes.items()
    parts = []
    for code in codes:
        if isinstance(code, list | tuple) and len(code) == 2:
            parts.append(f"{code[0]} = {code[1]}")
        else:
            parts.append(str(code))
    return "; ".join(parts)
