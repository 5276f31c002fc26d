"""Opening the registry file: sniffing its type, finding its header row, and the ``.csv``
reader (``,`` ``;`` or tab); the streaming ``.xlsx`` reader is ``xlsx.py``, the ``.xls`` /
``.ods`` one ``calamine.py``. Every reader gives rows of values as calamine would (see
``xlsx.py``).

Every refusal (type, size, zip bomb, encryption, broken archive) raises ``FileRejected`` before
a single row is handed out.
"""

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from households.importer.calamine import CalamineRows, is_ods
from households.importer.columns import HeaderMap, map_header
from households.importer.errors import FileRejected
from households.importer.xlsx import CHUNK_BYTES, XlsxRows

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

HEADER_SEARCH_ROWS = 30

# --- opening and sniffing --------------------------------------------------------------------


@dataclass
class Source:
    """An opened file positioned after its header row."""

    kind: str  # "xlsx", "xls", "ods" or "csv"
    header_row: int
    header_cells: list
    header: HeaderMap
    rows: Iterator  # (row number as Excel shows it, [values]) of non-empty rows after the header
    reader: object = None

    def close(self):
        self.rows.close()
        if self.reader is not None:
            self.reader.close()


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def open_source(path, original_name=None, find_header=None) -> Source:
    """Sniff the file, check its limits, find the header row; raise ``FileRejected``.

    ``find_header(iterator) -> (row_number, values, header)`` finds another kind of list's header
    (the programs app's recipient lists); by default the registry's columns are looked for."""
    find_header = find_header or _find_header
    path = os.fspath(path)
    name = (original_name or os.path.basename(path)).lower()
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise FileRejected(_("File tidak bisa dibuka: %(error)s.") % {"error": error}) from None
    if size > max_upload_bytes():
        raise FileRejected(
            _(
                "File terlalu besar (%(size)s MB); batasnya %(limit)s MB. Pecah menjadi beberapa "
                "file."
            )
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": settings.IMPORT_MAX_UPLOAD_MB}
        )
    if size == 0:
        raise FileRejected(_("File kosong."))
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(ZIP_MAGIC):
        if name.endswith(".ods") or is_ods(path):
            rows, kind = CalamineRows(path, ".ods"), "ods"
        else:
            rows, kind = XlsxRows(path), "xlsx"
    elif magic == OLE_MAGIC:
        if _ole_is_encrypted(path):
            raise FileRejected(
                _(
                    "File dilindungi kata sandi, jadi tidak bisa dibaca. Buka di Excel, hapus kata "
                    "sandinya (File › Info › Proteksi Buku Kerja), simpan sebagai .xlsx, lalu "
                    "unggah lagi."
                )
            )
        # Excel 97–2003 (.xls): at most 65,536 rows a sheet, read whole by calamine.
        rows, kind = CalamineRows(path, ".xls"), "xls"
    elif name.endswith((".xlsx", ".xlsm", ".ods")):
        raise FileRejected(
            _(
                "File %(suffix)s rusak: isinya bukan buku kerja. Simpan ulang dari Excel atau "
                "LibreOffice."
            )
            % {"suffix": os.path.splitext(name)[1]}
        )
    elif name.endswith(".xls"):
        raise FileRejected(
            _(
                "File .xls ini bukan buku kerja Excel yang bisa dibaca (mungkin halaman web yang "
                "diberi nama .xls). Buka di Excel lalu simpan sebagai .xlsx, kemudian unggah lagi."
            )
        )
    else:
        rows = CsvRows(path)
        kind = "csv"
    # A workbook may open with a cover or instructions sheet: the data is on the first visible
    # sheet that has a header row.
    sheets = rows.sheets if kind != "csv" else [None]
    first_refusal = None
    for sheet in sheets:
        if sheet is not None:
            rows.sheet_path = sheet
        iterator = iter(rows)
        try:
            header_row, header_cells, header = find_header(iterator)
        except HeaderNotFound as refusal:
            iterator.close()
            first_refusal = first_refusal or refusal
            continue
        except BaseException:
            iterator.close()
            rows.close()
            raise
        return Source(kind, header_row, header_cells, header, _without_numbering(iterator), rows)
    rows.close()
    raise first_refusal


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")


def _is_numbering_row(values) -> bool:
    """The row of column numbers — (1) (2) (3)… — that government forms put under the header."""
    numbers = []
    for value in values:
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not float(value).is_integer():
                return False
            numbers.append(int(value))
            continue
        found = _COLUMN_NUMBER.match(str(value).strip())
        if found is None:
            return False
        numbers.append(int(found.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _without_numbering(iterator):
    """The rows after the header, without a column-numbering row right under it."""
    try:
        first = next(iterator, None)
        if first is not None and not _is_numbering_row(first[1]):
            yield first
        yield from iterator
    finally:
        iterator.close()


def _ole_is_encrypted(path) -> bool:
    """An encrypted .xlsx is an OLE compound file holding an ``EncryptedPackage`` stream; its
    directory may sit anywhere, so scan the file (bounded by the upload limit)."""
    overlap = len(ENCRYPTED_PACKAGE)
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if ENCRYPTED_PACKAGE in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


class HeaderNotFound(FileRejected):
    """No header row in a sheet (another sheet of the workbook may have one)."""


def _find_header(iterator):
    """The header is the first row (of the first 30 non-empty ones) naming at least three known
    columns — title rows and blank rows above it are skipped."""
    best = None
    looked = 0
    for row_number, values in iterator:
        header = map_header(values)
        if header.score >= 3:
            best = (row_number, values, header)
            break
        looked += 1
        if looked >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        if looked == 0:
            raise HeaderNotFound(_("File tidak berisi data: semua barisnya kosong."))
        raise HeaderNotFound(
            _(
                "Baris judul kolom tidak ditemukan di %(count)d baris pertama yang berisi. Baris "
                "judul harus memuat nama kolom seperti kode_desa, no_kk, nik, nama."
            )
            % {"count": HEADER_SEARCH_ROWS}
        )
    row_number, values, header = best
    if header.duplicates:
        name, letters = header.duplicates[0]
        raise FileRejected(
            _("Kolom %(column)s muncul lebih dari sekali (kolom %(letters)s). Hapus salah satunya.")
            % {"column": name, "letters": ", ".join(letters)}
        )
    if header.missing:
        raise FileRejected(
            _("Kolom wajib tidak ada: %(columns)s (baris judul di baris %(row)d).")
            % {"columns": ", ".join(header.missing), "row": row_number}
        )
    return row_number, list(values), header


# --- csv -------------------------------------------------------------------------------------

CSV_DELIMITERS = [",", ";", "\t", "|"]
SNIFF_BYTES = 256 * 1024


class CsvRows:
    """Iterate (row number, values) over a text file, its encoding and delimiter detected."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        # UTF-16 text (Excel's "Unicode text") is full of NUL bytes; anything else with them is
        # not text at all.
        utf16 = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if b"\x00" in sample and not utf16:
            raise FileRejected(
                _("File ini bukan spreadsheet yang bisa dibaca. Unggah file .xlsx atau .csv.")
            )
        self.encoding = self._encoding(sample)
        text = sample.decode(self.encoding, "replace")
        if len(sample) == SNIFF_BYTES:
            text = text[: text.rfind("\n") + 1] or text
        self.delimiter = self._delimiter(text)

    @staticmethod
    def _encoding(sample: bytes) -> str:
        if sample.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut by the sample's end is still UTF-8.
            if error.start < len(sample) - 3:
                return "cp1252"
        return "utf-8"

    @staticmethod
    def _delimiter(text: str) -> str:
        best, best_score = ",", (-1, 0)
        for delimiter in CSV_DELIMITERS:
            lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))[:HEADER_SEARCH_ROWS]
            header_score = max((map_header(line).score for line in lines if line), default=0)
            widths = [len(line) for line in lines if line]
            score = (header_score, max(widths, default=0))
            if score > best_score:
                best, best_score = delimiter, score
        return best

    def close(self):
        """Nothing to release: the file is open only while the rows are iterated."""

    def __iter__(self):
        number = 0
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as handle:
            try:
                for values in csv.reader(handle, delimiter=self.delimiter):
                    number += 1
                    for value in values:
                        if value and not value.isspace():
                            yield number, values
                            break
            except csv.Error as error:
                raise FileRejected(
                    _("File CSV rusak di baris %(row)d: %(error)s.")
                    % {"row": number + 1, "error": error}
                ) from None
