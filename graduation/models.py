"""Pendamping, their caseloads, graduations out of PKH, yearly targets and the follow-up visits.

Scope: everything that hangs off a household is cut to the user's area (``core.scope``) and,
for a facilitator (role Pendamping PKH), further to the households assigned to them — their
whole graduation app is their caseload (``CaseloadQuerySet``)."""

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.models import TimelineStep
from core.scope import ScopedQuerySet
from graduation.choices import (
    GRADUATION_STATUS_BADGES,
    STANDING_STATUSES,
    FacilitatorKind,
    GraduationKind,
    GraduationStatus,
    MonitoringRound,
)

DEFAULT_TARGET = 10


def is_caseload_user(user) -> bool:
    """A Pendamping PKH sees only the households assigned to them in this app."""
    profile = getattr(user, "profile", None)
    return profile is not None and profile.role == Role.PENDAMPING


def assigned_household_ids(user):
    return Assignment.objects.filter(active=True, facilitator__user=user).values("household_id")


class CaseloadQuerySet(ScopedQuerySet):
    """Area scope, and for a facilitator only their assigned households (``household_path``)."""

    household_path = "household"

    def for_user(self, user):
        queryset = super().for_user(user)
        if is_caseload_user(user):
            queryset = queryset.filter(
                **{f"{self.household_path}__in": assigned_household_ids(user)}
            )
        return queryset


class FacilitatorQuerySet(ScopedQuerySet):
    area_lookup = "area__code"

    def for_user(self, user):
        queryset = super().for_user(user)
        if is_caseload_user(user):
            queryset = queryset.filter(user=user)
        return queryset


class Facilitator(models.Model):
    """Pendamping / pilar sosial: a user with a kind, an area and assigned households."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitator",
        verbose_name=_("akun"),
    )
    kind = models.CharField(
        _("jenis"), max_length=10, choices=FacilitatorKind.choices, default=FacilitatorKind.PKH
    )
    area = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah tugas")
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = FacilitatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("pendamping")
        verbose_name_plural = _("pendamping")
        ordering = ["area_id", "user__first_name", "user__username"]
        permissions = [("manage_facilitator", _("Kelola pendamping, penugasan dan target"))]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("graduation:facilitator_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


class AssignmentQuerySet(CaseloadQuerySet):
    area_lookup = "household__desa__code"


class Assignment(models.Model):
    """A household in a facilitator's caseload (KPM dampingan) from ``start_date``; ended
    assignments are kept (``active`` False, ``end_date``)."""

    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("pendamping"),
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="facilitator_assignments",
        verbose_name=_("keluarga"),
        db_index=False,
    )
    active = models.BooleanField(_("aktif"), default=True)
    start_date = models.DateField(_("mulai"), default=timezone.localdate)
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditugaskan oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["facilitator", "household_id"]
        indexes = [
            models.Index(
                fields=["household", "facilitator"],
                condition=models.Q(active=True),
                name="assignment_active_idx",
            ),
            models.Index(
                fields=["facilitator", "household"],
                condition=models.Q(active=True),
                name="assignment_caseload_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "facilitator"],
                condition=models.Q(active=True),
                name="assignment_active_unique",
            ),
        ]

    def __str__(self):
        return f"{self.facilitator} · {self.household_id}"


def statement_path(instance, filename):
    return f"graduation/{timezone.now():%Y/%m}/{filename}"


class GraduationQuerySet(CaseloadQuerySet):
    area_lookup = "household__desa__code"

    def standing(self):
        return self.filter(status__in=STANDING_STATUSES)


class Graduation(models.Model):
    """Graduasi: a household leaving PKH (or another bansos), proposed by a facilitator,
    verified by the kecamatan, approved by the district."""

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="graduations",
        verbose_name=_("keluarga"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("program yang ditinggalkan"),
    )
    enrolment = models.ForeignKey(
        "programs.Enrolment",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("kepesertaan yang diakhiri"),
    )
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.PROTECT,
        related_name="graduations",
        null=True,
        blank=True,
        verbose_name=_("pendamping"),
    )
    kind = models.CharField(_("jenis graduasi"), max_length=20, choices=GraduationKind.choices)
    graduation_date = models.DateField(_("tanggal graduasi"))
    reasons = models.TextField(_("alasan"))
    ready_economy = models.BooleanField(_("ekonomi"), default=False)
    ready_social = models.BooleanField(_("sosial"), default=False)
    ready_education = models.BooleanField(_("pendidikan"), default=False)
    ready_health = models.BooleanField(_("kesehatan"), default=False)
    ready_housing = models.BooleanField(_("perumahan"), default=False)
    ready_water_sanitation = models.BooleanField(_("air bersih dan sanitasi"), default=False)
    readiness_notes = models.TextField(_("catatan kesiapan"), blank=True)
    statement = models.FileField(
        _("surat pernyataan sejahtera mandiri"), upload_to=statement_path, blank=True
    )
    next_program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("program pemberdayaan berikutnya"),
    )
    next_enrolment = models.ForeignKey(
        "programs.Enrolment",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("kepesertaan pemberdayaan"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GraduationStatus.choices,
        default=GraduationStatus.PROPOSED,
    )
    approved_on = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diusulkan oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = GraduationQuerySet.as_manager()

    class Meta:
        verbose_name = _("graduasi")
        verbose_name_plural = _("graduasi")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("verify_graduation", _("Verifikasi usulan graduasi (kecamatan)")),
            ("approve_graduation", _("Setujui graduasi (kabupaten)")),
        ]
        indexes = [
            models.Index(
                fields=["facilitator", "graduation_date", "status"],
                name="graduation_progress_idx",
            ),
            models.Index(fields=["status", "graduation_date"], name="graduation_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "program"],
                condition=models.Q(status__in=STANDING_STATUSES),
                name="graduation_standing_unique",
            ),
        ]

    def __str__(self):
        return _("Graduasi #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("graduation:graduation_detail", args=[self.pk])

    @property
    def status_badge(self) -> str:
        return GRADUATION_STATUS_BADGES.get(self.status, "")

    @property
    def statement_name(self) -> str:
        return Path(self.statement.name).name if self.statement else ""

    def readiness(self) -> list[tuple[str, bool]]:
        from graduation.choices import READINESS_FIELDS

        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in READINESS_FIELDS
        ]


class GraduationEvidenceQuerySet(CaseloadQuerySet):
    area_lookup = "graduation__household__desa__code"
    household_path = "graduation__household"


class GraduationEvidence(models.Model):
    """A supporting file of a graduation (photos of the business, berita acara)."""

    graduation = models.ForeignKey(Graduation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file bukti"), upload_to=statement_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = GraduationEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti graduasi")
        verbose_name_plural = _("bukti graduasi")
        ordering = ["graduation", "id"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return Path(self.file.name).name


class GraduationStatusChangeQuerySet(CaseloadQuerySet):
    area_lookup = "graduation__household__desa__code"
    household_path = "graduation__household"


class GraduationStatusChange(TimelineStep):
    """Every status step of a graduation, with who and when (its timeline)."""

    graduation = models.ForeignKey(Graduation, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("dari"), max_length=10, choices=GraduationStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=10, choices=GraduationStatus.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    objects = GraduationStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("perubahan status graduasi")
        verbose_name_plural = _("perubahan status graduasi")
        ordering = ["graduation", "at", "id"]

    def __str__(self):
        return f"{self.graduation_id}: {self.from_status} → {self.to_status}"


class GraduationTargetQuerySet(ScopedQuerySet):
    area_lookup = "facilitator__area__code"


class GraduationTarget(models.Model):
    """How many KPM a facilitator is asked to graduate in a calendar year (default 10)."""

    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("pendamping")
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    target = models.PositiveSmallIntegerField(
        _("target KPM graduasi"), default=DEFAULT_TARGET, validators=[MaxValueValidator(1000)]
    )

    objects = GraduationTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target graduasi")
        verbose_name_plural = _("target graduasi")
        ordering = ["-year", "facilitator"]
        constraints = [
            models.UniqueConstraint(fields=["facilitator", "year"], name="graduation_target_unique")
        ]

    def __str__(self):
        return f"{self.facilitator} · {self.year}: {self.target}"


class CandidateQuerySet(CaseloadQuerySet):
    area_lookup = "household__desa__code"


class Candidate(models.Model):
    """A PKH household that gives no component from ``from_date`` (today or earlier: now), as
    the scheduled job last found it (``graduation.services.candidates``)."""

    household = models.OneToOneField(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="graduation_candidate",
        verbose_name=_("keluarga"),
    )
    from_date = models.DateField(_("tanpa komponen sejak"))
    reason = models.CharField(_("alasan"), max_length=300)
    found_at = models.DateTimeField(_("ditemukan"), default=timezone.now)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidat graduasi alamiah")
        verbose_name_plural = _("kandidat graduasi alamiah")
        ordering = ["from_date", "household_id"]

    def __str__(self):
        return f"{self.household_id} · {self.from_date}"


class MonitoringVisitQuerySet(CaseloadQuerySet):
    area_lookup = "graduation__household__desa__code"
    household_path = "graduation__household"


class MonitoringVisit(models.Model):
    """Pemantauan pascagraduasi: a follow-up visit due 6 and 12 months after approval."""

    graduation = models.ForeignKey(
        Graduation, on_delete=models.CASCADE, related_name="visits", verbose_name=_("graduasi")
    )
    round = models.PositiveSmallIntegerField(_("pemantauan ke"), choices=MonitoringRound.choices)
    due_on = models.DateField(_("jatuh tempo"))
    visited_on = models.DateField(_("tanggal kunjungan"), null=True, blank=True)
    still_self_reliant = models.BooleanField(_("masih mandiri?"), null=True, blank=True)
    income_source = models.CharField(_("sumber penghasilan"), max_length=200, blank=True)
    needs = models.TextField(_("kebutuhan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )

    objects = MonitoringVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan pemantauan")
        verbose_name_plural = _("kunjungan pemantauan")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(visited_on__isnull=True), name="visit_due_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["graduation", "round"], name="visit_round_unique")
        ]

    def __str__(self):
        return f"{self.graduation} · {self.get_round_display()}"

    def get_absolute_url(self):
        return reverse("graduation:visit_record", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return self.visited_on is None and self.due_on < timezone.localdate()
