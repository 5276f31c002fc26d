"""The pattern figures as a spreadsheet (.xlsx) or CSV: one sheet (or block) per grouping.
Every cell goes through ``core.spreadsheets.neutralise``, so a desa or category name that
starts with ``=`` is text in Excel, never a formula."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import neutralise

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _header():
    return [
        _("Kelompok"),
        _("Jumlah pengaduan"),
        _("Selesai ditangani"),
        _("Selesai dalam batas waktu"),
        _("Persentase dalam batas waktu"),
        _("Rata-rata hari penyelesaian"),
        _("Persentil 90 hari penyelesaian"),
    ]


def _cells(row):
    share = round(row.within_share, 1) if row.within_share is not None else None
    return [row.label, row.total, row.resolved, row.within, share, row.avg_days, row.p90_days]


def pattern_response(file_format: str, sections: list[tuple[str, list]]) -> HttpResponse:
    """``sections``: (title, rows) per grouping."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"pola-pengaduan-{stamp}.{file_format}"
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        for title, rows in sections:
            writer.writerow([neutralise(title)])
            writer.writerow(_header())
            for row in rows:
                writer.writerow([neutralise(cell) for cell in _cells(row)])
            writer.writerow([])
        body = buffer.getvalue().encode("utf-8")
    else:
        workbook = Workbook(write_only=True)
        for title, rows in sections:
            sheet = workbook.create_sheet(title=str(title)[:31])
            sheet.append(_header())
            for row in rows:
                sheet.append([neutralise(cell) for cell in _cells(row)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        body = buffer.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
