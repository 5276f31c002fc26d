from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import regions
from core.scope import ScopedQuerySet, ServesAreaQuerySet


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """A Kemendagri region code (``35``, ``35.07``, ``35.07.01``, ``35.07.01.2001``).

    The table keeps its first name, ``households_region``: the model moved here from the
    households app without copying the 91,599 rows."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        db_table = "households_region"
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    level_of = staticmethod(regions.level_of)
    normalise_code = staticmethod(regions.normalise_code)


class HolidayQuerySet(ServesAreaQuerySet):
    """A district's days off reach its kecamatan and desa; a day without a region reaches all."""


class Holiday(models.Model):
    """A day off the district adds to the national calendar (cuti bersama, a local holiday):
    service levels in working days skip it (``core.workdays``)."""

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)
    # The kabupaten/kota whose calendar it is; none: every district of this installation.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region"], name="holiday_once_per_region", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class Notification(models.Model):
    """One in-app message to one staff member (an overdue referral, a daily digest…).

    ``key`` names what the message is about (``referral-overdue:12:2026-12-04``): a job that runs
    twice finds the key and does not say it again."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return self.message


class TimelineStep(models.Model):
    """Who took a step on a record's timeline, and when (enrolments, complaints, graduations):
    the one shape of ``by``/``at`` every app's timeline shares. A staff account that is removed
    leaves its steps in place, without a name."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        abstract = True


class AccessKind(models.TextChoices):
    HOUSEHOLD_VIEW = "household_view", _("Buka halaman keluarga")
    IDENTITY_SEARCH = "identity_search", _("Cari NIK/No KK")
    EXPORT = "export", _("Ekspor data pribadi")


class AccessLogQuerySet(ScopedQuerySet):
    area_lookup = "area_code"


class AccessLog(models.Model):
    """One read of personal data: who, what, which record, when, from which address
    (``core.access.record``). Kept ``TERPADU_ACCESS_LOG_DAYS`` days (beat job
    ``core.prune_access_log``). ``object_ref`` never holds a NIK or No KK in full."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AccessKind.choices)
    object_ref = models.CharField(_("data"), max_length=120, blank=True)
    # The desa of the household read, or the user's area for a search or an export.
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("log akses")
        verbose_name_plural = _("log akses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="core_access_user_idx")]

    def __str__(self):
        return f"{self.user} {self.kind} {self.object_ref}"
