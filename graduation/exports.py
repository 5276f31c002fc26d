"""The ministry report of a year's graduations as .xlsx: progress per facilitator and per
kecamatan, and the graduations themselves. Every cell goes through ``core.spreadsheets.neutralise``
(no formula runs when the file is opened)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import neutralise
from graduation.models import Graduation
from graduation.services import progress

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(book, title, header, rows):
    sheet = book.create_sheet(title)
    sheet.append([neutralise(str(cell)) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    return sheet


def _figures(row):
    return [row.target, row.proposed, row.verified, row.approved, row.percent]


def progress_workbook(user, year: int) -> bytes:
    book = Workbook()
    book.remove(book.active)
    figures = [_("Target"), _("Diusulkan"), _("Diverifikasi"), _("Disetujui"), _("Capaian (%)")]
    _sheet(
        book,
        _("Pendamping"),
        [_("Nama"), _("Jenis"), _("Wilayah tugas"), *figures],
        (
            [row.label, row.kind, row.code, *_figures(row)]
            for row in progress.facilitator_progress(user, year)
        ),
    )
    kecamatan_rows, total = progress.area_progress(user, year)
    _sheet(
        book,
        _("Kecamatan"),
        [_("Kode"), _("Kecamatan"), *figures],
        [
            *([row.code, row.label, *_figures(row)] for row in kecamatan_rows),
            ["", _("Jumlah"), *_figures(total)],
        ],
    )
    graduations = (
        Graduation.objects.for_user(user)
        .filter(graduation_date__year=year)
        .select_related("household__desa", "facilitator__user", "program", "next_program")
        .order_by("graduation_date", "pk")
    )
    _sheet(
        book,
        _("Graduasi"),
        [
            _("No."),
            _("ID registri"),
            _("No. KK"),
            _("Desa/kelurahan"),
            _("Program"),
            _("Jenis graduasi"),
            _("Tanggal graduasi"),
            _("Status"),
            _("Pendamping"),
            _("Program pemberdayaan"),
            _("Alasan"),
        ],
        (
            [
                graduation.pk,
                graduation.household.registry_id,
                graduation.household.no_kk,
                graduation.household.desa.name,
                graduation.program.code,
                graduation.get_kind_display(),
                graduation.graduation_date,
                graduation.get_status_display(),
                graduation.facilitator.name if graduation.facilitator else "",
                graduation.next_program.code if graduation.next_program else "",
                graduation.reasons,
            ]
            for graduation in graduations.iterator(chunk_size=2000)
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
