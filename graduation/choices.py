from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilitatorKind(models.TextChoices):
    """Pilar sosial: the facilitators who carry graduation."""

    PKH = "pkh", _("Pendamping PKH")
    TKSK = "tksk", _("TKSK")
    PSM = "psm", _("PSM")
    SLRT = "slrt", _("Fasilitator SLRT")


class GraduationKind(models.TextChoices):
    NATURAL = "alamiah", _("Graduasi alamiah")
    SELF_RELIANT = "sejahtera_mandiri", _("Graduasi sejahtera mandiri")
    ADMINISTRATIVE = "administratif", _("Graduasi administratif")


class GraduationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    VERIFIED = "verified", _("Diverifikasi")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


# A household holds at most one graduation in these statuses per program it leaves.
STANDING_STATUSES = (
    GraduationStatus.PROPOSED,
    GraduationStatus.VERIFIED,
    GraduationStatus.APPROVED,
)

GRADUATION_STATUS_BADGES = {
    GraduationStatus.PROPOSED: "badge-warn",
    GraduationStatus.VERIFIED: "",
    GraduationStatus.APPROVED: "badge-ok",
    GraduationStatus.REJECTED: "badge-error",
}

# The readiness checklist (kesiapan graduasi): model field → label.
READINESS_FIELDS = (
    "ready_economy",
    "ready_social",
    "ready_education",
    "ready_health",
    "ready_housing",
    "ready_water_sanitation",
)


class MonitoringRound(models.IntegerChoices):
    SIX_MONTHS = 6, _("6 bulan")
    TWELVE_MONTHS = 12, _("12 bulan")
