from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimelineStep
from core.scope import ScopedQuerySet
from programs.choices import (
    DISBURSEMENT_STATUS_BADGES,
    ENROLMENT_STATUS_BADGES,
    OPEN_ENROLMENT_STATUSES,
    DisbursementChannel,
    DisbursementKind,
    DisbursementStatus,
    EligibilityIssue,
    EnrolmentSource,
    EnrolmentStatus,
)

OPEN = models.Q(status__in=OPEN_ENROLMENT_STATUSES)


class EnrolmentQuerySet(ScopedQuerySet):
    area_lookup = "household__desa__code"

    def open(self):
        return self.filter(OPEN)


class Enrolment(models.Model):
    """Kepesertaan: a household (or one of its members) in a program."""

    # No single-column indexes on program and household: enrolment_program_status_idx and
    # enrolment_household_idx start with them, and every index slows a whole list's insert.
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("program"),
        db_index=False,
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("keluarga"),
        db_index=False,
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("anggota"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.PROPOSED,
    )
    source = models.CharField(_("sumber"), max_length=20, choices=EnrolmentSource.choices)
    start_date = models.DateField(_("tanggal mulai"), null=True, blank=True)
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    reason = models.CharField(_("alasan/keterangan"), max_length=500, blank=True)
    # What the program's rule found wrong when the enrolment was made (EligibilityIssue values);
    # such an enrolment needs a justification and is followed up in the synergy views.
    flags = ArrayField(
        models.CharField(max_length=20, choices=EligibilityIssue.choices),
        default=list,
        blank=True,
        verbose_name=_("catatan kelayakan"),
    )
    justification = models.TextField(_("justifikasi"), blank=True)
    last_period = models.CharField(_("tahap terakhir"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["household", "program"], name="enrolment_household_idx"),
            models.Index(fields=["program", "status"], name="enrolment_program_status_idx"),
            models.Index(
                fields=["program"],
                include=["household"],
                condition=models.Q(status="active"),
                name="enrolment_active_idx",
            ),
            models.Index(
                fields=["program"],
                include=["household"],
                condition=~models.Q(flags=[]),
                name="enrolment_flagged_idx",
            ),
            # Synergy: programs per household and per desa read only active enrolments.
            models.Index(
                fields=["household", "program"],
                condition=models.Q(status="active"),
                name="enrolment_active_household_idx",
            ),
        ]
        constraints = [
            # One open place per household and program for household programs, per member for
            # member programs (member NULL for the first, so both constraints are needed).
            models.UniqueConstraint(
                fields=["program", "household"],
                condition=OPEN & models.Q(member__isnull=True),
                name="enrolment_open_household_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "member"],
                condition=OPEN & models.Q(member__isnull=False),
                name="enrolment_open_member_unique",
            ),
        ]

    def __str__(self):
        return f"{self.program.code} · {self.household}"

    def get_absolute_url(self):
        return reverse("programs:enrolment_detail", args=[self.pk])

    @property
    def status_badge(self) -> str:
        return ENROLMENT_STATUS_BADGES.get(self.status, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ENROLMENT_STATUSES


class EnrolmentStatusChangeQuerySet(ScopedQuerySet):
    area_lookup = "enrolment__household__desa__code"


class EnrolmentStatusChange(TimelineStep):
    """Every status step of an enrolment, with who and when (the enrolment's timeline)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("dari"), max_length=10, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=10, choices=EnrolmentStatus.choices)
    reason = models.CharField(_("alasan"), max_length=500, blank=True)

    objects = EnrolmentStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("perubahan status kepesertaan")
        verbose_name_plural = _("perubahan status kepesertaan")
        ordering = ["enrolment", "at", "id"]

    def __str__(self):
        return f"{self.enrolment_id}: {self.from_status} → {self.to_status}"


class DisbursementQuerySet(ScopedQuerySet):
    area_lookup = "enrolment__household__desa__code"


class Disbursement(models.Model):
    """Penyaluran: one payment or in-kind delivery of an enrolment for a period (year, tahap)."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("kepesertaan"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.PositiveSmallIntegerField(
        _("tahap"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.PositiveBigIntegerField(_("nilai (Rp)"))
    kind = models.CharField(
        _("bentuk"), max_length=10, choices=DisbursementKind.choices, default=DisbursementKind.CASH
    )
    channel = models.CharField(
        _("saluran"),
        max_length=10,
        choices=DisbursementChannel.choices,
        default=DisbursementChannel.BANK,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.PLANNED,
    )
    disbursed_on = models.DateField(_("tanggal salur"), null=True, blank=True)
    reference = models.CharField(_("referensi"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        ordering = ["-year", "-period", "id"]
        indexes = [
            models.Index(fields=["year", "period", "status"], name="disbursement_period_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "year", "period"], name="disbursement_period_unique"
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.year}/{self.period}"

    @property
    def status_badge(self) -> str:
        return DISBURSEMENT_STATUS_BADGES.get(self.status, "")
