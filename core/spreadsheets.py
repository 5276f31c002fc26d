"""What every spreadsheet Terpadu writes (exports, error reports, templates) does to a cell."""

import csv
import datetime
import io
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_TYPES = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def neutralise(value):
    """A cell value that a spreadsheet shows as text and never runs as a formula.

    Text starting with a formula character gets a ``'`` in front; control characters (which
    .xlsx cannot hold) are dropped. Numbers, dates and None are kept; any other object (such as
    a reader's marker for an uncalculated formula) becomes an empty cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None or isinstance(value, CELL_TYPES):
        return value
    return None


def table_response(file_format: str, filename: str, title, headers, rows):
    """A download of ``rows`` (lists of plain values) under ``headers``: CSV (``;``-separated,
    streamed) or .xlsx (write-only, frozen header, text cells kept as text). Every text cell is
    neutralised. The caller checks the right to export and logs it first."""
    if file_format == "csv":

        def chunks():
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            writer.writerow([str(h) for h in headers])
            for row in rows:
                writer.writerow([neutralise(str(v)) if v is not None else "" for v in row])
                if buffer.tell() > 65536:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title)[:31])
    sheet.freeze_panes = "A2"
    sheet.append([str(h) for h in headers])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(
                sheet, value=neutralise(str(value)) if isinstance(value, str) else neutralise(value)
            )
            if isinstance(value, str):
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)
