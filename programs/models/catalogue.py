from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ServesAreaQuerySet
from programs.choices import BeneficiaryUnit, Cluster, FundingSource, PkhComponent, ProgramKind


class ProgramQuerySet(ServesAreaQuerySet):
    """A program is seen by whoever its agency serves."""

    area_lookup = "agency__region__code"


class Program(models.Model):
    """A social assistance, empowerment or basic-service program and its eligibility rule."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=ProgramKind.choices)
    cluster = models.CharField(_("klaster"), max_length=30, choices=Cluster.choices)
    agency = models.ForeignKey(
        "programs.Agency",
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("OPD/lembaga"),
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=20, choices=FundingSource.choices
    )
    beneficiary_unit = models.CharField(
        _("sasaran"),
        max_length=10,
        choices=BeneficiaryUnit.choices,
        default=BeneficiaryUnit.HOUSEHOLD,
    )
    description = models.TextField(_("keterangan"), blank=True)
    # Eligibility rule (programs.services.eligibility); an empty part does not apply.
    max_desil = models.PositiveSmallIntegerField(
        _("desil maksimal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    required_components = ArrayField(
        models.CharField(max_length=20, choices=PkhComponent.choices),
        default=list,
        blank=True,
        verbose_name=_("komponen PKH (salah satu)"),
    )
    min_age = models.PositiveSmallIntegerField(_("usia minimal"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("usia maksimal"), null=True, blank=True)
    requires_disability = models.BooleanField(_("mensyaratkan disabilitas"), default=False)
    periods_per_year = models.PositiveSmallIntegerField(
        _("tahap per tahun"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    national = models.BooleanField(_("program nasional"), default=False)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["code"]
        permissions = [
            ("manage_enrolment", _("Mengubah status kepesertaan program")),
            ("import_enrolment", _("Mengimpor daftar penerima dan penyaluran")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_desil__isnull=True) | models.Q(max_desil__range=(1, 10)),
                name="program_max_desil_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="program_age_band_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("programs:program_detail", args=[self.pk])


class ProgramTargetQuerySet(ServesAreaQuerySet):
    area_lookup = "region__code"
    regionless_serves_all = False


class ProgramTarget(models.Model):
    """Planned beneficiaries of a program for one year, for the district or one kecamatan."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="targets", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        verbose_name=_("wilayah"),
    )
    planned = models.PositiveIntegerField(_("target penerima"))

    objects = ProgramTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target program")
        verbose_name_plural = _("target program")
        ordering = ["program", "year", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "region"], name="program_target_unique"
            ),
        ]

    def __str__(self):
        return f"{self.program.code} {self.year} {self.region_id}: {self.planned}"


class BenefitRate(models.Model):
    """Yearly PKH benefit per component (the admin edits the table each year)."""

    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    component = models.CharField(_("komponen"), max_length=20, choices=PkhComponent.choices)
    amount = models.PositiveBigIntegerField(_("nilai per tahun (Rp)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("nilai bantuan PKH")
        verbose_name_plural = _("nilai bantuan PKH")
        ordering = ["-year", "component"]
        constraints = [
            models.UniqueConstraint(fields=["year", "component"], name="benefit_rate_unique"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_component_display()}: {self.amount}"
