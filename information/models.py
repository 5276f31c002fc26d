from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.reports import report_kind
from core.scope import ScopedQuerySet, area_of
from information.choices import REPORT_STATUS_BADGES, ReportStatus


class ReportQuerySet(ScopedQuerySet):
    area_lookup = "area__code"

    def for_user(self, user):
        """The reports of the user's area that they asked for, and the monthly recaps (asked by
        nobody) of their area; another person's report is not theirs to see."""
        scoped = self.in_area(area_of(user))
        if not getattr(user, "pk", None):
            return scoped.none()
        return scoped.filter(Q(requested_by=user) | Q(requested_by__isnull=True))

    def listed(self):
        return self.filter(expires_at__gt=timezone.now())


def report_path(instance, filename):
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class Report(models.Model):
    """Laporan: one .xlsx built by the worker for an area and a period."""

    kind = models.CharField(_("jenis laporan"), max_length=40)
    area = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        db_column="area_code",
        related_name="+",
        verbose_name=_("wilayah"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"), null=True, blank=True)
    # Empty for the monthly recap, which the system makes for everybody of the area.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    file = models.FileField(_("berkas"), upload_to=report_path, blank=True, max_length=255)
    rows_written = models.PositiveIntegerField(_("baris ditulis"), default=0)
    error = models.TextField(_("kesalahan"), blank=True)
    created_at = models.DateTimeField(_("diminta"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["area", "-created_at"], name="report_area_created_idx"),
            models.Index(fields=["expires_at"], name="report_expires_idx"),
        ]

    def __str__(self):
        return f"{self.title} · {self.area_id} · {self.period_label}"

    def get_absolute_url(self):
        return reverse("information:report_detail", args=[self.pk])

    @property
    def title(self) -> str:
        kind = report_kind(self.kind)
        return str(kind.title) if kind else self.kind

    @property
    def period_label(self) -> str:
        return f"{self.month:02d}/{self.year}" if self.month else str(self.year)

    @property
    def is_running(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def status_badge(self) -> str:
        return REPORT_STATUS_BADGES.get(self.status, "")
