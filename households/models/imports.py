from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Diunggah")
    VALIDATING = "validating", _("Sedang diperiksa")
    VALIDATED = "validated", _("Siap dikonfirmasi")
    IMPORTING = "importing", _("Sedang diimpor")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


# The badge colour of each status, on lists and detail pages alike ("" = the plain badge).
IMPORT_STATUS_BADGES = {
    ImportStatus.DONE: "badge-ok",
    ImportStatus.VALIDATED: "badge-warn",
    ImportStatus.FAILED: "badge-error",
    ImportStatus.CANCELLED: "badge-muted",
}


class ImportJobQuerySet(ScopedQuerySet):
    area_lookup = "area_code"

    def in_area(self, area):
        # A job belongs to the area of the user who started it; a user sees jobs inside theirs.
        if area is None:
            return self.none()
        if area == "":
            return self
        return self.filter(area_code__startswith=area)


def import_upload_path(instance, filename):
    return f"imports/{timezone.now():%Y/%m}/{filename}"


REGISTRY_KIND = "registry"


class ImportJob(models.Model):
    """One spreadsheet import: uploaded → validating → validated → importing → done.

    ``kind`` names the engine: the registry import of this app, or a list another app imports
    through the same job machinery (the programs app's recipient lists, ``kind="enrolments"``,
    with its program in ``options``). The registry's pages show registry jobs only."""

    kind = models.CharField(_("jenis impor"), max_length=20, default=REGISTRY_KIND)
    options = models.JSONField(default=dict, blank=True)
    original_name = models.CharField(_("nama file"), max_length=255)
    file = models.FileField(_("file"), upload_to=import_upload_path, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    families_checked = models.PositiveIntegerField(default=0)
    counts = models.JSONField(_("jumlah"), default=dict, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    error_report = models.FileField(_("laporan kesalahan"), upload_to="import-reports/", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Set when a user confirms the preview: the job is then queued for import, can no longer be
    # cancelled, and a failure after this point re-runs the import (not the check).
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor registri")
        verbose_name_plural = _("impor registri")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def waiting_for_worker(self) -> bool:
        """Confirmed but not yet picked up by a worker: the status is still "validated"."""
        return self.status == ImportStatus.VALIDATED and self.confirmed_at is not None

    @property
    def status_badge(self) -> str:
        return "" if self.waiting_for_worker else IMPORT_STATUS_BADGES.get(self.status, "")

    @property
    def status_label(self) -> str:
        return _("Menunggu impor") if self.waiting_for_worker else self.get_status_display()


class IssueLevel(models.TextChoices):
    ERROR = "error", _("Kesalahan")
    WARNING = "warning", _("Peringatan")


class ImportIssue(models.Model):
    """One error or warning of an import, named by the spreadsheet row and column."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("baris"))
    column = models.CharField(_("kolom"), max_length=64, blank=True)
    level = models.CharField(_("tingkat"), max_length=8, choices=IssueLevel.choices)
    message = models.TextField(_("pesan"))
    no_kk = models.CharField(_("No. KK"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("catatan impor")
        verbose_name_plural = _("catatan impor")
        ordering = ["job", "row", "id"]
        indexes = [models.Index(fields=["job", "level", "row"], name="importissue_job_idx")]

    def __str__(self):
        return f"{self.row} {self.column}: {self.message}"


class ExportLogQuerySet(ScopedQuerySet):
    area_lookup = "area_code"


class ExportLog(models.Model):
    """Every export of personal data: who, when, what filter, how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    what = models.CharField(_("data"), max_length=100)
    file_format = models.CharField(_("format"), max_length=10)
    filters = models.TextField(_("filter"), blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"))
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("log ekspor")
        verbose_name_plural = _("log ekspor")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.what} {self.file_format} ({self.row_count})"
