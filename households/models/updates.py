from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet


class UpdateKind(models.TextChoices):
    NEW_HOUSEHOLD = "new_household", _("Keluarga baru")
    ADD_MEMBER = "add_member", _("Tambah anggota")
    REMOVE_MEMBER = "remove_member", _("Keluarkan anggota")
    CHANGE_HEAD = "change_head", _("Ganti kepala keluarga")
    MOVE = "move", _("Pindah alamat/desa")
    SPLIT = "split", _("Pecah KK")
    CORRECT = "correct", _("Perbaikan data")
    DEATH = "death", _("Lapor kematian")
    DECILE_REVIEW = "decile_review", _("Tinjau desil")


class UpdateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    VERIFIED = "verified", _("Diverifikasi kecamatan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


# The badge colour of each status, on lists and detail pages alike.
UPDATE_STATUS_BADGES = {
    UpdateStatus.PROPOSED: "badge-warn",
    UpdateStatus.VERIFIED: "",
    UpdateStatus.APPROVED: "badge-ok",
    UpdateStatus.REJECTED: "badge-error",
}


class DataUpdateQuerySet(ScopedQuerySet):
    area_lookup = "desa__code"

    def open(self):
        """Proposals still waiting on someone (``household.data_updates.open`` in templates)."""
        return self.filter(
            status__in=[UpdateStatus.PROPOSED, UpdateStatus.VERIFIED]
        ).select_related("member", "proposed_by")


def evidence_path(instance, filename):
    return f"evidence/{timezone.now():%Y/%m}/{filename}"


class DataUpdate(models.Model):
    """Usulan perubahan (pemutakhiran): a proposed change that only an approval applies.

    ``payload`` holds the proposed values (fields of the household or member, or a whole new
    household with members); ``desa`` is the area the proposal belongs to, for scoping."""

    kind = models.CharField(_("jenis usulan"), max_length=20, choices=UpdateKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.PROPOSED
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_updates",
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_updates",
    )
    desa = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    payload = models.JSONField(_("data usulan"), default=dict, blank=True)
    reason = models.TextField(_("alasan/keterangan"))
    evidence = models.FileField(_("bukti (berita acara)"), upload_to=evidence_path, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("diusulkan"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    objects = DataUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan perubahan data")
        verbose_name_plural = _("usulan perubahan data")
        ordering = ["-proposed_at"]
        permissions = [
            ("verify_dataupdate", _("Verifikasi usulan perubahan (kecamatan)")),
            ("approve_dataupdate", _("Setujui/tolak usulan perubahan (kabupaten)")),
        ]
        indexes = [
            models.Index(fields=["status", "desa"], name="dataupdate_status_desa_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def status_badge(self) -> str:
        return UPDATE_STATUS_BADGES[self.status]


class DuplicateReason(models.TextChoices):
    SAME_NIK = "same_nik", _("NIK sama di dua keluarga")
    SIMILAR_NAME = "similar_name", _("Nama mirip dan tanggal lahir sama")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Menunggu")
    MERGED = "merged", _("Digabung")
    DISMISSED = "dismissed", _("Bukan duplikat")


DUPLICATE_STATUS_BADGES = {
    DuplicateStatus.OPEN: "badge-warn",
    DuplicateStatus.MERGED: "badge-ok",
    DuplicateStatus.DISMISSED: "badge-muted",
}


class DuplicateCandidateQuerySet(ScopedQuerySet):
    area_lookup = "member_a__household__desa__code"

    def in_area(self, area):
        # A pair can span two kecamatan; a user sees it only when both people are in their area.
        scoped = super().in_area(area)
        if not area:
            return scoped
        return scoped.filter(
            models.Q(member_b__isnull=True)
            | models.Q(member_b__household__desa__code__startswith=area)
        )


class DuplicateCandidate(models.Model):
    """Two member records that are probably one person, waiting for someone to decide.

    ``nik`` is set when the same NIK arrived for another household (an import row that was
    refused); then ``member_b`` may be empty and ``details`` holds the refused row."""

    member_a = models.ForeignKey("households.Member", on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(
        "households.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=20, choices=DuplicateReason.choices)
    score = models.FloatField(_("kemiripan"), default=1.0)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    found_at = models.DateTimeField(_("ditemukan"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidat duplikat")
        verbose_name_plural = _("kandidat duplikat")
        ordering = ["-found_at"]
        permissions = [("resolve_duplicatecandidate", _("Gabungkan atau tolak kandidat duplikat"))]
        constraints = [
            models.UniqueConstraint(fields=["member_a", "member_b"], name="duplicate_pair_unique"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.member_a_id} / {self.member_b_id}"

    @property
    def status_badge(self) -> str:
        return DUPLICATE_STATUS_BADGES[self.status]
