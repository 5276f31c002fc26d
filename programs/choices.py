from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    OPD = "opd", _("Perangkat daerah (OPD)")
    HEALTH = "kesehatan", _("Puskesmas/fasilitas kesehatan")
    SCHOOL = "sekolah", _("Sekolah/lembaga pendidikan")
    CIVIL_REGISTRY = "dukcapil", _("Dukcapil")
    ZAKAT = "baznas", _("BAZNAS/lembaga zakat")
    UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")
    NGO = "lsm_csr", _("LSM/CSR")
    OTHER = "lainnya", _("Lainnya")


class ProgramKind(models.TextChoices):
    SOCIAL_ASSISTANCE = "bansos", _("Bantuan sosial")
    EMPOWERMENT = "pemberdayaan", _("Pemberdayaan")
    BASIC_SERVICE = "layanan_dasar", _("Layanan dasar")


class Cluster(models.TextChoices):
    """The four East Java clusters of poverty programs."""

    SOCIAL_ASSISTANCE = "bantuan_sosial", _("Bantuan sosial")
    COMMUNITY_EMPOWERMENT = "pemberdayaan_masyarakat", _("Pemberdayaan masyarakat")
    SME_EMPOWERMENT = "pemberdayaan_umkm", _("Pemberdayaan UMKM")
    LOW_COST = "program_murah", _("Program murah")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD_PROVINCE = "apbd_provinsi", _("APBD provinsi")
    APBD_DISTRICT = "apbd_kabupaten", _("APBD kabupaten")
    VILLAGE_FUND = "dana_desa", _("Dana Desa")
    OTHER = "csr_lainnya", _("CSR/lainnya")


class BeneficiaryUnit(models.TextChoices):
    HOUSEHOLD = "household", _("Keluarga")
    MEMBER = "member", _("Anggota keluarga")
    GROUP = "group", _("Kelompok")


class PkhComponent(models.TextChoices):
    """Komponen PKH, derived from the members (programs.services.components)."""

    PREGNANT = "ibu_hamil", _("Ibu hamil/nifas")
    EARLY_CHILD = "anak_usia_dini", _("Anak usia dini (0–6 tahun)")
    PRIMARY = "anak_sd", _("Anak SD/sederajat")
    JUNIOR = "anak_smp", _("Anak SMP/sederajat")
    SENIOR = "anak_sma", _("Anak SMA/sederajat")
    DISABILITY = "disabilitas_berat", _("Penyandang disabilitas berat")
    ELDERLY = "lanjut_usia", _("Lanjut usia (60+ tahun)")


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Ditangguhkan")
    GRADUATED = "graduated", _("Graduasi")
    EXITED = "exited", _("Keluar")


# Statuses in which a household still holds its place in a program: at most one such enrolment
# per household (or member) and program.
OPEN_ENROLMENT_STATUSES = (
    EnrolmentStatus.PROPOSED,
    EnrolmentStatus.ACTIVE,
    EnrolmentStatus.SUSPENDED,
)

ENROLMENT_STATUS_BADGES = {
    EnrolmentStatus.ACTIVE: "badge-ok",
    EnrolmentStatus.PROPOSED: "badge-warn",
    EnrolmentStatus.SUSPENDED: "badge-error",
    EnrolmentStatus.GRADUATED: "badge-muted",
    EnrolmentStatus.EXITED: "badge-muted",
}


class EnrolmentSource(models.TextChoices):
    HOUSEHOLD_PAGE = "household_page", _("Halaman keluarga")
    REGISTRY_LIST = "registry_list", _("Daftar registri (massal)")
    RECIPIENT_LIST = "recipient_list", _("Daftar penerima (impor)")
    SYSTEM = "system", _("Sistem")


class EligibilityIssue(models.TextChoices):
    """Why an enrolment breaks its program's rule (kept on the enrolment as flags)."""

    NO_DESIL = "no_desil", _("Desil belum diketahui")
    ABOVE_CEILING = "above_ceiling", _("Desil di atas batas program")
    NO_COMPONENT = "no_component", _("Tidak ada komponen yang disyaratkan")
    AGE = "age", _("Usia di luar batas program")
    NO_DISABILITY = "no_disability", _("Tidak ada penyandang disabilitas")
    HOUSEHOLD_INACTIVE = "household_inactive", _("Keluarga tidak aktif di registri")


class DisbursementKind(models.TextChoices):
    CASH = "cash", _("Tunai")
    IN_KIND = "in_kind", _("Barang/natura")


class DisbursementChannel(models.TextChoices):
    BANK = "bank_kks", _("Bank/KKS")
    POST = "pos", _("PT Pos")
    OTHER = "lainnya", _("Lainnya")


class DisbursementStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    DISBURSED = "disbursed", _("Tersalurkan")
    FAILED = "failed", _("Gagal")
    RETURNED = "returned", _("Dikembalikan")


DISBURSEMENT_STATUS_BADGES = {
    DisbursementStatus.DISBURSED: "badge-ok",
    DisbursementStatus.PLANNED: "badge-warn",
    DisbursementStatus.FAILED: "badge-error",
    DisbursementStatus.RETURNED: "badge-error",
}
