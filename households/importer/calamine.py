"""The ``.xls`` and ``.ods`` reader: python-calamine (Rust) reads the sheet, the rows come out
as ``xlsx.py`` gives them, so the checks downstream see no difference.

calamine loads a whole sheet before the first row comes out (see ``xlsx.py`` for why .xlsx has
a streaming reader of its own). That is fine here: an .xls sheet holds at most 65,536 rows, and
an .ods is accepted up to ``MAX_ODS_XML_MB`` of sheet XML (about 100,000 member rows); a bigger
.ods is refused with the advice to save it as .xlsx or .csv, which stream.
"""

import math
import zipfile

from django.utils.translation import gettext as _
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from households.importer.errors import FileRejected
from households.importer.xlsx import check_zip_sizes

MAX_ODS_XML_MB = 256
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
EXACT_INTEGERS = 2**53


def is_ods(path) -> bool:
    """An OpenDocument spreadsheet: a zip whose ``mimetype`` member says so (or that holds a
    ``content.xml`` and no Excel workbook)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    if handle.read(100).strip() == ODS_MIMETYPE:
                        return True
            return "content.xml" in names and "xl/workbook.xml" not in names
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        return False


def _value(value):
    """calamine's cell → the value ``xlsx.py`` would give: no empty strings, whole numbers as
    ``int`` (Excel writes a whole number without a decimal point; calamine reads every number
    of .xls/.ods as a float)."""
    if value == "":
        return None
    if (
        type(value) is float
        and math.isfinite(value)
        and value.is_integer()
        and abs(value) < EXACT_INTEGERS
    ):
        return int(value)
    return value


class CalamineRows:
    """Iterate (row number, values) over a worksheet (``sheet_path``: its name) of an .xls or
    .ods file."""

    def __init__(self, path, kind: str):
        self.kind = kind  # ".xls" or ".ods"
        if kind == ".ods":
            self._check_ods(path)
        try:
            self.book = CalamineWorkbook.from_path(str(path))
        except PasswordError:
            raise FileRejected(
                _(
                    "File dilindungi kata sandi, jadi tidak bisa dibaca. Buka di Excel atau "
                    "LibreOffice, hapus kata sandinya, simpan, lalu unggah lagi."
                )
            ) from None
        except (CalamineError, ValueError, OSError) as error:
            raise FileRejected(self._broken(error)) from None
        metadata = self.book.sheets_metadata
        self.sheets = [
            sheet.name
            for sheet in metadata
            if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible
        ] or [sheet.name for sheet in metadata[:1]]
        if not self.sheets:
            self.book.close()
            raise FileRejected(_("File %(kind)s tidak berisi lembar kerja.") % {"kind": kind})
        self.sheet_path = self.sheets[0]

    def _broken(self, error) -> str:
        return _(
            "File %(kind)s rusak atau bukan buku kerja yang bisa dibaca (%(error)s). Buka di "
            "Excel atau LibreOffice, simpan sebagai .xlsx, lalu unggah lagi."
        ) % {"kind": self.kind, "error": str(error)[:200]}

    @staticmethod
    def _check_ods(path):
        try:
            with zipfile.ZipFile(path) as archive:
                check_zip_sizes(archive, ".ods")
                content = archive.getinfo("content.xml").file_size
        except (zipfile.BadZipFile, OSError, EOFError, KeyError):
            raise FileRejected(
                _("File .ods rusak atau terpotong, tidak bisa dibuka. Simpan ulang.")
            ) from None
        if content > MAX_ODS_XML_MB * 1024 * 1024:
            raise FileRejected(
                _(
                    "File .ods ini terlalu besar untuk dibaca sekaligus (lebih dari sekitar "
                    "100.000 baris). Simpan sebagai .xlsx atau .csv lalu unggah lagi: kedua "
                    "format itu dibaca bertahap, berapa pun barisnya."
                )
            )

    def close(self):
        self.book.close()

    def __iter__(self):
        try:
            sheet = self.book.get_sheet_by_name(self.sheet_path)
            top, left = sheet.start or (0, 0)
            padding = [None] * left
            for offset, values in enumerate(sheet.iter_rows()):
                row = padding + [_value(value) for value in values]
                if any(value is not None for value in row):
                    yield top + offset + 1, row
        except (CalamineError, ValueError) as error:
            raise FileRejected(self._broken(error)) from None
