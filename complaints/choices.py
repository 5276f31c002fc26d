from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LETTER = "letter", _("Surat")
    LAPOR = "lapor", _("LAPOR! (SP4N)")


# Channels an officer records at the desk (the web form files its own).
STAFF_CHANNELS = [choice for choice in Channel.choices if choice[0] != Channel.WEB]


class Priority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Mendesak")


class HandlingUnit(models.TextChoices):
    DATA = "data", _("Bidang data dan informasi")
    SOCIAL_PROTECTION = "linjamsos", _("Bidang perlindungan dan jaminan sosial")
    EMPOWERMENT = "dayasos", _("Bidang pemberdayaan sosial")
    REHABILITATION = "rehsos", _("Bidang rehabilitasi sosial")
    SECRETARIAT = "sekretariat", _("Sekretariat dan pengaduan")
    KECAMATAN = "kecamatan", _("Operator kecamatan")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    TRIAGED = "triaged", _("Ditelaah")
    IN_PROGRESS = "in_progress", _("Ditangani")
    RESOLVED = "resolved", _("Selesai ditangani")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")


# Statuses in which the office still owes an answer: the service level runs and escalation applies.
OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.TRIAGED, ComplaintStatus.IN_PROGRESS)
DONE_STATUSES = (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED, ComplaintStatus.REJECTED)

STATUS_BADGES = {
    ComplaintStatus.RECEIVED: "badge-warn",
    ComplaintStatus.TRIAGED: "",
    ComplaintStatus.IN_PROGRESS: "",
    ComplaintStatus.RESOLVED: "badge-ok",
    ComplaintStatus.CLOSED: "badge-muted",
    ComplaintStatus.REJECTED: "badge-error",
}


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("Belum")
    KECAMATAN = 1, _("Kecamatan")
    DISTRICT = 2, _("Kabupaten")


class Decision(models.TextChoices):
    UPHELD = "upheld", _("Diterima (pengaduan benar)")
    PARTLY_UPHELD = "partly_upheld", _("Diterima sebagian")
    NOT_UPHELD = "not_upheld", _("Tidak terbukti")
    WITHDRAWN = "withdrawn", _("Dicabut pelapor")
    PASSED_ON = "passed_on", _("Diteruskan ke instansi lain")
    REFERRAL = "referral", _("Dijadikan rujukan")
    DATA_UPDATE = "data_update", _("Dijadikan usulan perubahan data")


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("Sesuai jadwal")
    AT_RISK = "at_risk", _("Mendekati batas")
    OVERDUE = "overdue", _("Lewat batas")
    MET = "met", _("Selesai tepat waktu")
    LATE = "late", _("Selesai terlambat")


SLA_BADGES = {
    SlaState.ON_TRACK: "badge-ok",
    SlaState.AT_RISK: "badge-warn",
    SlaState.OVERDUE: "badge-error",
    SlaState.MET: "badge-muted",
    SlaState.LATE: "badge-muted",
}


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Pengaduan diterima")
    TRIAGED = "triaged", _("Ditelaah")
    ASSIGNED = "assigned", _("Ditugaskan")
    STATUS = "status", _("Status diubah")
    NOTE = "note", _("Catatan internal")
    REPLY = "reply", _("Balasan")
    RESOLVED = "resolved", _("Diselesaikan")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")
    ESCALATED = "escalated", _("Dieskalasi")
    APPEALED = "appealed", _("Banding diajukan")
    DATA_UPDATE = "data_update", _("Usulan perubahan data dibuat")
    REFERRAL = "referral", _("Rujukan dibuka")
