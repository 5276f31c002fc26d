"""The upload form of the registry import (its filters are in ``households.filtersets``)."""

import codecs
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")
ACCEPT = ",".join(ALLOWED_SUFFIXES)
ZIP_MAGIC = b"PK\x03\x04"
# Old binary Excel files and password-protected .xlsx files are both OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message():
    return _("File terlalu besar: batasnya %(mb)s MB. Bagi file menjadi beberapa bagian.") % {
        "mb": settings.IMPORT_MAX_UPLOAD_MB
    }


class UploadLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the size limit, instead of writing the whole
    oversized file to disk first; the view then shows the size message."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.request.import_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File registri"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Pilih file yang akan diimpor.")},
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        # Worded per form, so the limit shown is the one in force (settings may change).
        self.fields["file"].help_text = _(
            "Format .xlsx, .xls, .ods atau .csv (pemisah koma atau titik koma), paling besar "
            "%(mb)s MB."
        ) % {"mb": settings.IMPORT_MAX_UPLOAD_MB}

    def clean(self):
        # The upload handler dropped an oversized file, so the field only knows it is missing.
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", too_large_message())
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _(
                    "Jenis file tidak didukung (%(suffix)s). Unggah file .xlsx, .xls, .ods "
                    "atau .csv."
                )
                % {"suffix": suffix or _("tanpa ekstensi")}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("File kosong."))
        head = upload.read(4096)
        upload.seek(0)
        if suffix == ".xlsx" and head.startswith(OLE_MAGIC):
            raise forms.ValidationError(
                _(
                    "File ini dilindungi kata sandi atau berformat Excel lama. Buka di Excel, "
                    "hapus kata sandinya, simpan sebagai .xlsx, lalu unggah lagi."
                )
            )
        if suffix == ".xlsx" and not head.startswith(ZIP_MAGIC):
            raise forms.ValidationError(
                _("File ini bukan file Excel .xlsx yang sah (mungkin rusak atau salah ekstensi).")
            )
        if suffix == ".xls" and not head.startswith(OLE_MAGIC):
            raise forms.ValidationError(
                _(
                    "File ini bukan file Excel .xls yang sah (mungkin halaman web yang diberi "
                    "nama .xls, atau rusak). Buka di Excel, simpan sebagai .xlsx, lalu unggah lagi."
                )
            )
        if suffix == ".ods" and not head.startswith(ZIP_MAGIC):
            raise forms.ValidationError(
                _("File ini bukan file .ods yang sah (mungkin rusak atau salah ekstensi).")
            )
        # UTF-16 text (Excel's "Unicode" CSV/text, with its byte-order mark) is full of NUL
        # bytes; anything else with them is not text at all.
        binary = b"\x00" in head and not head.startswith(UTF16_BOMS)
        if suffix == ".csv" and (binary or head.startswith((ZIP_MAGIC, OLE_MAGIC))):
            raise forms.ValidationError(
                _("File ini bukan teks CSV. Bila ini file Excel, unggah dengan ekstensi aslinya.")
            )
        return upload
