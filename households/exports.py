"""Exports of the registry list as filtered on screen, to ``.xlsx`` or ``.csv``, and their log.

Rules every export follows:
- the rows are the list's own FilterSet applied to ``for_user`` — never more than the user's area;
- one row per living member (the current family card) in the import layout of
  docs/registry-format.md;
- cells that a spreadsheet would run as a formula (``= + - @``, tab, CR) are prefixed with ``'``
  (``core.spreadsheets.neutralise``, as in every spreadsheet Terpadu writes);
- memory stays flat: rows come from a server-side cursor in chunks; the CSV is streamed and the
  workbook is written by openpyxl's write-only mode into a temporary file;
- an export larger than ``settings.EXPORT_MAX_ROWS`` is refused with a request to narrow the
  filter: an export is an HTTP request, and above that size it would run longer than a proxy
  waits. Whole-district copies are what the (queued) reports are for;
- every export is written to ``ExportLog`` (who, area, what, format, filter, row count) before
  the file leaves the server, so an export interrupted mid-download is still on record.
"""

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import access
from core.models import AccessKind
from core.scope import area_of
from core.search import search_data
from core.spreadsheets import neutralise
from households.choices import ExportFormat, MemberStatus
from households.filtersets import HouseholdFilterSet
from households.models import ExportLog, Household, Member
from households.resources import TEXT_COLUMNS, MemberResource

XLSX = ExportFormat.XLSX
CSV = ExportFormat.CSV
FORMATS = ExportFormat.values
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}

REGISTRY = "registri"
# What an ExportLog row records in ``what``; the log page shows the label.
EXPORT_KINDS = {REGISTRY: _("Registri keluarga (per anggota)")}

# Indonesian Excel uses ";" as the list separator (the decimal mark is ","); the importer reads
# both. The byte-order mark makes Excel read the file as UTF-8.
CSV_DELIMITER = ";"
CSV_BATCH_ROWS = 500
DISPLAY_PARAMETERS = frozenset({"page", "per_page", "sort"})
QUERY_CHUNK_ROWS = 2000


class ExportRefused(Exception):
    """The export cannot run as asked; ``message`` says why in words for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RegistryExport:
    members: QuerySet
    row_count: int
    filters: str


def describe_errors(form) -> str:
    """``Desa/kelurahan: Desa ini di luar wilayah kerja Anda.; …`` for a message."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.append(label + " ".join(errors))
    return "; ".join(parts)


def grouped(number: int) -> str:
    """``12.345`` in Indonesian, ``12,345`` in English."""
    return number_format(number, force_grouping=True)


def describe_filters(querystring: str) -> list[tuple[str, str]]:
    """[(label, value)] of a logged filter querystring, in words where the filter has them.

    Display parameters (page size, sort order) are left out: they do not change the rows."""
    labels = {}
    choices = {}
    for name, filter_ in HouseholdFilterSet.base_filters.items():
        labels[name] = filter_.label
        for value, label in filter_.extra.get("choices") or ():
            choices[(name, str(value))] = label
    labels.setdefault("kecamatan", _("Kecamatan"))
    labels.setdefault("desa", _("Desa/kelurahan"))
    pairs = []
    for name, values in QueryDict(querystring).lists():
        if name in DISPLAY_PARAMETERS:
            continue
        for value in values:
            if value == "":
                continue
            shown = _("ya") if value == "on" else choices.get((name, value), value)
            pairs.append((str(labels.get(name) or name), str(shown)))
    return pairs


def filters_of(params) -> str:
    """The querystring of the on-screen filter, without the page number and empty fields."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        if name == "page":
            continue
        for value in values:
            if value != "":
                kept.appendlist(name, value)
    return kept.urlencode()


def _masked(filters: str) -> str:
    """The export log keeps the filter, searched words included, with identity numbers
    masked to their last 4 digits."""
    return re.sub(r"\d{15,}", lambda m: access.masked(m.group()), filters)


def registry_export(request) -> RegistryExport:
    """The members of the households the registry list shows for the request's querystring,
    inside the user's area (the list's FilterSet needs the request for its region choices).

    Raises ``ExportRefused`` for an invalid filter (the user would get something other than
    what they asked for) and for an export above ``settings.EXPORT_MAX_ROWS``."""
    user = request.user
    filterset = HouseholdFilterSet(
        search_data(request), queryset=Household.objects.for_user(user), request=request
    )
    if not filterset.is_valid():
        raise ExportRefused(
            _("Filter tidak valid, ekspor dibatalkan: %(problems)s")
            % {"problems": describe_errors(filterset.form)}
        )
    members = (
        Member.objects.for_user(user)
        .filter(household__in=filterset.qs.values("pk"), status=MemberStatus.ALIVE)
        .select_related("household")
        .order_by("household__desa_id", "household_id", "hubungan_keluarga", "tanggal_lahir", "pk")
    )
    row_count = members.count()
    limit = settings.EXPORT_MAX_ROWS
    if row_count > limit:
        raise ExportRefused(
            _(
                "Data terpilih berisi %(count)s baris, lebih dari batas ekspor %(limit)s baris. "
                "Persempit filter (misalnya per kecamatan atau desa) lalu ekspor lagi."
            )
            % {
                "count": grouped(row_count),
                "limit": grouped(limit),
            }
        )
    return RegistryExport(
        members=members, row_count=row_count, filters=_masked(filters_of(search_data(request)))
    )


def log_export(
    user, *, what: str, file_format: str, filters: str, row_count: int, request=None
) -> ExportLog:
    """The export log line (what, filter, rows) and, given the request, the access-log line
    (who, from which address) of an export of personal data."""
    if request is not None:
        access.record(request, AccessKind.EXPORT, f"{what} · {file_format} · {row_count}")
    return ExportLog.objects.create(
        user=user,
        area_code=area_of(user) or "",
        what=what,
        file_format=file_format,
        filters=filters,
        row_count=row_count,
    )


def export_filename(user, file_format: str) -> str:
    area = (area_of(user) or "semua").replace(".", "")
    return f"registri-{area}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"


class _Echo:
    """A file-like object whose ``write`` hands the text back, for ``csv.writer``."""

    def write(self, value):
        return value


def csv_chunks(members: QuerySet):
    """The CSV text in chunks of ``CSV_BATCH_ROWS`` rows, for a ``StreamingHttpResponse``."""
    resource = MemberResource()
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow(resource.get_export_headers())
    batch = io.StringIO()
    rows_in_batch = 0
    for member in members.iterator(chunk_size=QUERY_CHUNK_ROWS):
        row = resource.export_row(member, native=False)
        batch.write(writer.writerow([neutralise(value) for value in row]))
        rows_in_batch += 1
        if rows_in_batch == CSV_BATCH_ROWS:
            yield batch.getvalue()
            batch = io.StringIO()
            rows_in_batch = 0
    if rows_in_batch:
        yield batch.getvalue()


def write_xlsx(members: QuerySet):
    """(workbook, rows written): the workbook in an anonymous temporary file (deleted when
    closed), positioned at 0.

    NIK, No KK, desa code and RT/RW are text cells with the text format, so Excel never turns
    them into numbers; birth dates are date cells shown as dd/mm/yyyy."""
    resource = MemberResource()
    headers = resource.get_export_headers()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Registri")))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(headers, start=1):
        wide = name in {"nik", "no_kk", "nama", "alamat", "nama_ibu_kandung", "kode_desa"}
        sheet.column_dimensions[get_column_letter(index)].width = 20 if wide else 13
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    text_positions = {i for i, name in enumerate(headers) if name in TEXT_COLUMNS}
    row_count = 0
    for member in members.iterator(chunk_size=QUERY_CHUNK_ROWS):
        row_count += 1
        cells = []
        for position, value in enumerate(resource.export_row(member, native=True)):
            if isinstance(value, str):
                value = neutralise(value) or None
            if value is None:
                cells.append(None)
            elif position in text_positions:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.number_format = "@"
                cells.append(cell)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)

    # Handed to the response, which closes (and so deletes) it after sending.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output, row_count
