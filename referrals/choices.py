from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    """The sectors of a resident's needs (SLRT/Puskesos), one service level each."""

    HEALTH = "kesehatan", _("Kesehatan")
    EDUCATION = "pendidikan", _("Pendidikan")
    SOCIAL_ECONOMIC = "sosial_ekonomi", _("Sosial ekonomi/PKH")
    FOOD = "pangan", _("Pangan")
    ENERGY = "energi", _("Energi (listrik, gas)")
    AGRICULTURE = "pertanian", _("Pertanian")
    FISHERIES = "perikanan", _("Perikanan")
    HOUSING = "perumahan", _("Perumahan/rutilahu")
    CIVIL_REGISTRATION = "adminduk", _("Dokumen kependudukan")
    OTHER = "lainnya", _("Lainnya")


class Channel(models.TextChoices):
    WALK_IN = "datang", _("Datang langsung")
    PHONE = "telepon", _("Telepon/WhatsApp")
    HOME_VISIT = "kunjungan", _("Kunjungan rumah")
    OTHER = "lainnya", _("Lainnya")


class ConsentBasis(models.TextChoices):
    RESIDENT = "warga", _("Persetujuan warga")
    CHILD = "anak", _("Tanpa persetujuan: anak")
    EMERGENCY = "darurat", _("Tanpa persetujuan: keadaan darurat")
    NONE = "", _("Belum ada persetujuan")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Dikirim")
    ACCEPTED = "accepted", _("Diterima")
    REJECTED = "rejected", _("Ditolak")
    IN_SERVICE = "in_service", _("Sedang dilayani")
    COMPLETED = "completed", _("Selesai dilayani")
    UNRESOLVED = "unresolved", _("Ditutup tanpa penyelesaian")
    REVOKED = "revoked", _("Dibatalkan")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)
CLOSED_STATUSES = (
    ReferralStatus.REJECTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.UNRESOLVED,
    ReferralStatus.REVOKED,
)

REFERRAL_STATUS_BADGES = {
    ReferralStatus.SENT: "badge-warn",
    ReferralStatus.ACCEPTED: "",
    ReferralStatus.IN_SERVICE: "",
    ReferralStatus.COMPLETED: "badge-ok",
    ReferralStatus.REJECTED: "badge-error",
    ReferralStatus.UNRESOLVED: "badge-muted",
    ReferralStatus.REVOKED: "badge-muted",
}

# Working days per sector until a referral is due, until the admin sets its own.
DEFAULT_SERVICE_DAYS = {
    Need.HEALTH: 3,
    Need.EDUCATION: 10,
    Need.SOCIAL_ECONOMIC: 10,
    Need.FOOD: 5,
    Need.ENERGY: 10,
    Need.AGRICULTURE: 14,
    Need.FISHERIES: 14,
    Need.HOUSING: 20,
    Need.CIVIL_REGISTRATION: 7,
    Need.OTHER: 10,
}
