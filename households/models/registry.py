from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet
from households.choices import (
    HomeOwnership,
    HouseholdStatus,
    MaritalStatus,
    MemberStatus,
    Relationship,
    SchoolParticipation,
    Sex,
)

sixteen_digits = RegexValidator(r"^\d{16}$", _("Harus 16 angka."))

# Member conditions the registry filters on (households.services.registry); the partial indexes
# below are built from the same expressions so that PostgreSQL can match them to the queries.
ALIVE = models.Q(status="alive")
# A functional difficulty from "banyak kesulitan" (2) to "tidak bisa sama sekali" (1) is a
# disability (the Washington Group cut-off DTSEN uses), as is a disability written in words.
SEVERE_DIFFICULTY = models.Func(
    models.F("functional_difficulties"),
    models.Value("$.* ? (@ <= 2)"),
    function="jsonb_path_exists",
    output_field=models.BooleanField(),
)
DISABILITY = ~models.Q(disabilitas="") | models.Q(SEVERE_DIFFICULTY)
NIK_FLAGGED = ~models.Q(nik_flags=[])


class HouseholdQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"


SUMMARY_FIELDS = ("head_name", "member_count")


class Household(models.Model):
    """Keluarga: one family as the registry knows it. The primary key is the registry id; No KK
    changes over a family's life and is kept in ``KKHistory``."""

    no_kk = models.CharField(_("No. KK"), max_length=16, validators=[sixteen_digits])
    desa = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        db_column="desa_code",
        db_index=False,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    desil = models.PositiveSmallIntegerField(
        _("desil"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    status_rumah = models.CharField(
        _("status kepemilikan rumah"), max_length=20, choices=HomeOwnership.choices, blank=True
    )
    luas_lantai = models.DecimalField(
        _("luas lantai (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    jenis_lantai = models.CharField(_("jenis lantai"), max_length=100, blank=True)
    jenis_dinding = models.CharField(_("jenis dinding"), max_length=100, blank=True)
    jenis_atap = models.CharField(_("jenis atap"), max_length=100, blank=True)
    sumber_air_minum = models.CharField(_("sumber air minum"), max_length=100, blank=True)
    sumber_penerangan = models.CharField(_("sumber penerangan"), max_length=100, blank=True)
    daya_listrik = models.PositiveIntegerField(_("daya listrik (VA)"), null=True, blank=True)
    bahan_bakar_memasak = models.CharField(_("bahan bakar memasak"), max_length=100, blank=True)
    fasilitas_bab = models.CharField(_("fasilitas BAB"), max_length=100, blank=True)
    jenis_kloset = models.CharField(_("jenis kloset"), max_length=100, blank=True)
    pembuangan_akhir_tinja = models.CharField(
        _("pembuangan akhir tinja"), max_length=100, blank=True
    )
    assets = models.JSONField(_("aset"), default=dict, blank=True)
    livestock = models.JSONField(_("ternak"), default=dict, blank=True)
    pbi_nas = models.BooleanField(_("PBI nasional"), null=True, blank=True)
    pbi_pemda = models.BooleanField(_("PBI pemda"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.ACTIVE,
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    last_verified = models.DateField(_("terakhir diverifikasi"), null=True, blank=True)
    data_source = models.CharField(_("sumber data"), max_length=100, blank=True)
    # Kept by the database (triggers on households_member, see migration 0009 and
    # ``SUMMARY_FIELDS``): the living head's name and the number of living members, stored so
    # that the registry list sorts by them through an index. Never written by ``save()``.
    head_name = models.CharField(_("kepala keluarga"), max_length=150, blank=True, editable=False)
    member_count = models.PositiveIntegerField(_("jumlah anggota"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        ordering = ["desa_id", "id"]
        permissions = [("export_household", _("Ekspor data keluarga"))]
        indexes = [
            models.Index(fields=["no_kk"], name="household_no_kk_idx"),
            models.Index(fields=["desil"], name="household_desil_idx"),
            # Households that moved, merged or became inactive: a few percent of the registry,
            # listed by the status filter without reading every household.
            models.Index(
                fields=["status"],
                include=["desa"],
                condition=~models.Q(status="active"),
                name="household_not_active_idx",
            ),
            # The list's order (desa code byte-wise, then id) under any database collation; being
            # byte-wise it also serves the area scope's prefix match (desa_code LIKE '35.07.01%').
            models.Index(
                Collate(models.F("desa"), "C"), models.F("id"), name="household_desa_order_idx"
            ),
            # The list sorted by head name or member count (inside an area: the scope's prefix
            # filter on the desa code is a cheap filter over this index's order).
            models.Index(fields=["head_name", "id"], name="household_head_name_idx"),
            models.Index(fields=["member_count", "id"], name="household_member_count_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["no_kk"],
                condition=models.Q(status="active"),
                name="household_active_no_kk_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(desil__isnull=True) | models.Q(desil__range=(1, 10)),
                name="household_desil_range",
            ),
        ]

    def __str__(self):
        return f"{self.registry_id} · KK {self.no_kk}"

    def save(self, *args, **kwargs):
        # The summary columns belong to the database's triggers: an instance loaded before a
        # member changed must not write its stale copy back.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in SUMMARY_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("households:household_detail", args=[self.pk])

    @property
    def registry_id(self) -> str:
        return f"KLG-{self.pk:07d}" if self.pk else ""


class KKHistoryQuerySet(ScopedQuerySet):
    area_lookup = "household__desa__code"


class KKHistory(models.Model):
    """Every No KK a household has carried, newest last."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="kk_history")
    no_kk = models.CharField(_("No. KK"), max_length=16)
    valid_from = models.DateTimeField(_("berlaku sejak"), default=timezone.now)
    valid_to = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=255, blank=True)

    objects = KKHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat No. KK")
        verbose_name_plural = _("riwayat No. KK")
        ordering = ["household", "valid_from"]

    def __str__(self):
        return self.no_kk


class MemberQuerySet(ScopedQuerySet):
    area_lookup = "household__desa__code"


class Member(models.Model):
    """Anggota keluarga."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", db_index=False
    )
    # NULL, not "", for people without papers: the unique constraint must not apply to them.
    nik = models.CharField(  # noqa: DJ001
        _("NIK"), max_length=16, null=True, blank=True, validators=[sixteen_digits]
    )
    nama = models.CharField(_("nama"), max_length=150)
    jenis_kelamin = models.PositiveSmallIntegerField(_("jenis kelamin"), choices=Sex.choices)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"))
    hubungan_keluarga = models.PositiveSmallIntegerField(
        _("hubungan dengan kepala keluarga"), choices=Relationship.choices
    )
    status_kawin = models.CharField(
        _("status perkawinan"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    nama_ibu_kandung = models.CharField(_("nama ibu kandung"), max_length=150, blank=True)
    partisipasi_sekolah = models.CharField(
        _("partisipasi sekolah"), max_length=20, choices=SchoolParticipation.choices, blank=True
    )
    pendidikan = models.CharField(_("pendidikan tertinggi"), max_length=100, blank=True)
    pekerjaan = models.CharField(_("pekerjaan utama"), max_length=100, blank=True)
    status_bekerja = models.CharField(_("status bekerja"), max_length=100, blank=True)
    disabilitas = models.CharField(_("disabilitas"), max_length=150, blank=True)
    functional_difficulties = models.JSONField(_("kesulitan fungsional"), default=dict, blank=True)
    penyakit_kronis = models.CharField(_("penyakit kronis"), max_length=150, blank=True)
    hamil = models.BooleanField(_("hamil"), default=False)
    kondisi_gizi = models.CharField(_("kondisi gizi"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ALIVE
    )
    tanggal_meninggal = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    nik_flags = ArrayField(
        models.CharField(max_length=20), default=list, blank=True, verbose_name=_("catatan NIK")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        ordering = ["household_id", "hubungan_keluarga", "tanggal_lahir"]
        indexes = [
            models.Index(
                fields=["household", "hubungan_keluarga"], name="member_household_rel_idx"
            ),
            GinIndex(fields=["nama"], name="member_nama_trgm", opclasses=["gin_trgm_ops"]),
            # Households with a living member who is ... (registry list filters).
            models.Index(
                fields=["household"], condition=ALIVE & DISABILITY, name="member_disability_idx"
            ),
            models.Index(
                fields=["household"],
                condition=ALIVE & models.Q(hamil=True),
                name="member_pregnant_idx",
            ),
            models.Index(
                fields=["household"],
                include=["nik_flags"],
                condition=ALIVE & NIK_FLAGGED,
                name="member_nik_flagged_idx",
            ),
            models.Index(
                fields=["tanggal_lahir", "household"],
                condition=ALIVE,
                name="member_alive_birth_idx",
            ),
        ]
        constraints = [
            # One NIK is one person across the whole registry (NULL for people without papers).
            models.UniqueConstraint(fields=["nik"], name="member_nik_unique"),
        ]

    def __str__(self):
        return f"{self.nama} ({self.nik or _('tanpa NIK')})"

    def age_on(self, day) -> int:
        born = self.tanggal_lahir
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())
