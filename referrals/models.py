"""Puskesos service points, intakes (a resident's needs) and referrals to agencies.

Intakes and referrals are scoped by the resident's desa; a partner agency's staff (Mitra
layanan) see only the referrals addressed to their agency (``ReferralQuerySet.for_user``) and
never an intake."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.models import Region
from core.scope import ScopedQuerySet, area_of
from programs.models import AgencyStaff
from referrals.choices import (
    OPEN_STATUSES,
    Channel,
    ConsentBasis,
    Need,
    ReferralStatus,
)


class ServicePointQuerySet(ScopedQuerySet):
    area_lookup = "region__code"


class ServicePoint(models.Model):
    """A Puskesos: the service desk of a desa (or a kecamatan), with the letterhead its
    recommendation letters carry."""

    name = models.CharField(_("nama"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    letterhead_title = models.CharField(
        _("kop surat"),
        max_length=255,
        blank=True,
        help_text=_("Misalnya: PEMERINTAH KABUPATEN MALANG · DINAS SOSIAL"),
    )
    signer_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        verbose_name = _("Puskesos")
        verbose_name_plural = _("Puskesos")
        ordering = ["region_id", "name"]
        permissions = [("manage_servicepoint", _("Mengelola Puskesos dan batas waktu layanan"))]

    def __str__(self):
        return self.name


class ServiceLevel(models.Model):
    """How many working days an agency has to serve a need of this sector."""

    need = models.CharField(_("sektor"), max_length=20, choices=Need.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))

    class Meta:
        verbose_name = _("batas waktu layanan")
        verbose_name_plural = _("batas waktu layanan")
        ordering = ["need"]

    def __str__(self):
        return f"{self.get_need_display()}: {self.working_days}"


class IntakeQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"

    def for_user(self, user):
        if _is_provider(user):
            return self.none()
        return super().for_user(user)


class Intake(models.Model):
    """A resident's visit, call or home visit at a Puskesos, with their needs."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("Puskesos")
    )
    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("keluarga"),
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("warga"),
    )
    # An unregistered person: what was recorded, and the proposal that may add them.
    person_name = models.CharField(_("nama warga"), max_length=150, blank=True)
    data_update = models.ForeignKey(
        "households.DataUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("usulan data"),
    )
    contact = models.CharField(_("kontak"), max_length=100, blank=True)
    channel = models.CharField(_("cara datang"), max_length=20, choices=Channel.choices)
    story = models.TextField(_("cerita/keadaan"), max_length=4000)
    consent = models.CharField(
        _("persetujuan berbagi data"),
        max_length=10,
        choices=ConsentBasis.choices,
        blank=True,
    )
    consent_note = models.CharField(_("alasan tanpa persetujuan"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now, db_index=True)
    # The form's one-time token: a second submit of the same form finds this intake.
    submission = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("layanan warga")
        verbose_name_plural = _("layanan warga")
        ordering = ["-created_at"]
        permissions = [("export_intake", _("Mengunduh log harian layanan warga"))]
        indexes = [
            models.Index(fields=["service_point", "created_at"], name="intake_point_day"),
            models.Index(fields=["household", "created_at"], name="intake_household"),
        ]

    def __str__(self):
        return _("Layanan #%(id)s") % {"id": self.pk}

    @property
    def resident_name(self) -> str:
        return self.member.nama if self.member_id else self.person_name


class IntakeNeedQuerySet(ScopedQuerySet):
    area_lookup = "intake__desa__code"


class IntakeNeed(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(_("kebutuhan"), max_length=20, choices=Need.choices)
    description = models.CharField(_("keterangan"), max_length=500, blank=True)

    objects = IntakeNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kebutuhan")
        verbose_name_plural = _("kebutuhan")
        constraints = [models.UniqueConstraint(fields=["intake", "need"], name="intake_need_once")]

    def __str__(self):
        return self.get_need_display()


def _is_provider(user) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.role == Role.MITRA_LAYANAN


class ReferralQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"

    def for_user(self, user):
        """Office staff: the referrals of their area. A partner agency's staff: only those
        addressed to their agency (and in their area), whatever else they hold."""
        area = area_of(user)
        if _is_provider(user):
            agencies = list(
                AgencyStaff.objects.filter(user=user).values_list("agency_id", flat=True)
            )
            return self.in_area(area).filter(agency_id__in=agencies)
        return self.in_area(area)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class Referral(models.Model):
    """One need of an intake, referred to one agency, until the agency reports the service."""

    reference = models.CharField(_("nomor"), max_length=40, unique=True)
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="referrals")
    need = models.ForeignKey(
        IntakeNeed, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("kebutuhan")
    )
    desa = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    agency = models.ForeignKey(
        "programs.Agency",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("dirujuk ke"),
    )
    # The intake's, kept here too: the overdue list per service point and the daily log group
    # 300,000 referrals by it without joining the intakes.
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        verbose_name=_("Puskesos"),
    )
    reason = models.TextField(_("alasan rujukan"), max_length=2000)
    document = models.FileField(
        _("dokumen pendukung"), upload_to="referrals/%Y/%m", blank=True, max_length=255
    )
    consent = models.CharField(_("dasar berbagi data"), max_length=10, choices=ConsentBasis.choices)
    consent_note = models.CharField(_("alasan tanpa persetujuan"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
    )
    sent_on = models.DateField(_("tanggal kirim"), default=timezone.localdate)
    due_date = models.DateField(_("batas waktu"))
    overdue_since = models.DateField(_("terlambat sejak"), null=True, blank=True)
    outcome = models.TextField(_("hasil/layanan yang diberikan"), blank=True)
    closing_reason = models.TextField(_("alasan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["-created_at"]
        permissions = [
            ("respond_referral", _("Menjawab rujukan sebagai penyedia layanan")),
            ("manage_referral", _("Mengirim, membatalkan dan menutup rujukan")),
        ]
        indexes = [
            models.Index(fields=["desa", "status"], name="referral_desa_status"),
            models.Index(fields=["-sent_on", "-id"], name="referral_newest"),
            models.Index(fields=["agency", "status", "sent_on"], name="referral_inbox"),
            models.Index(fields=["agency", "-sent_on"], name="referral_agency_newest"),
            models.Index(fields=["service_point", "status", "due_date"], name="referral_point"),
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=["sent", "accepted", "in_service"]),
                name="referral_open_due",
            ),
            models.Index(fields=["household"], name="referral_household"),
            models.Index(fields=["created_at"], name="referral_created"),
        ]
        constraints = [
            # One live referral per need: a new one only after the last was closed.
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(status__in=["sent", "accepted", "in_service"]),
                name="referral_one_open_per_need",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class ReferralEventQuerySet(ScopedQuerySet):
    area_lookup = "referral__desa__code"


class ReferralEvent(models.Model):
    """The timeline: every status change of a referral, with who and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    objects = ReferralEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"
