"""Evidence uploads (berita acara, photos): accepted by what the file is, not by its name."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Magic bytes of the evidence types we accept, and the extension a stored file gets.
EVIDENCE_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
]
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png"


def validate_evidence(upload):
    """Accept PDF, JPG or PNG by content (not by name) up to ``EVIDENCE_MAX_UPLOAD_MB``.

    The stored name keeps the uploaded stem but gets the extension of what the file really is."""
    limit_mb = settings.EVIDENCE_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise forms.ValidationError(
            _("File bukti terlalu besar (%(size).1f MB); maksimal %(limit)s MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit_mb}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    extension = next((ext for magic, ext in EVIDENCE_SIGNATURES if head.startswith(magic)), None)
    if extension is None:
        raise forms.ValidationError(
            _("File bukti harus berupa PDF, JPG atau PNG; isi file ini bukan salah satunya.")
        )
    stem = Path(upload.name).stem[:80] or "bukti"
    upload.name = f"{stem}.{extension}"
    return upload
