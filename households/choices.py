from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    MOVED = "moved", _("Pindah")
    MERGED = "merged", _("Digabung")
    INACTIVE = "inactive", _("Tidak aktif")


class HomeOwnership(models.TextChoices):
    OWNED = "milik_sendiri", _("Milik sendiri")
    RENTED = "kontrak_sewa", _("Kontrak/sewa")
    RENT_FREE = "bebas_sewa", _("Bebas sewa")
    OFFICIAL = "dinas", _("Dinas")
    OTHER = "lainnya", _("Lainnya")


class Sex(models.IntegerChoices):
    MALE = 1, _("Laki-laki")
    FEMALE = 2, _("Perempuan")


class Relationship(models.IntegerChoices):
    HEAD = 1, _("Kepala keluarga")
    SPOUSE = 2, _("Istri/suami")
    CHILD = 3, _("Anak")
    CHILD_IN_LAW = 4, _("Menantu")
    GRANDCHILD = 5, _("Cucu")
    PARENT = 6, _("Orang tua/mertua")
    HELPER = 7, _("Pembantu")
    OTHER = 8, _("Lainnya")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Belum kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai hidup")
    WIDOWED = "cerai_mati", _("Cerai mati")


class SchoolParticipation(models.TextChoices):
    NEVER = "tidak_pernah", _("Tidak/belum pernah sekolah")
    IN_SCHOOL = "masih_sekolah", _("Masih sekolah")
    LEFT = "tidak_sekolah_lagi", _("Tidak sekolah lagi")


class MemberStatus(models.TextChoices):
    ALIVE = "alive", _("Hidup")
    DECEASED = "deceased", _("Meninggal")
    MOVED = "moved", _("Pindah")
    # Taken off the family card for another reason (registered twice, wrongly listed).
    REMOVED = "removed", _("Dikeluarkan dari KK")


class Difficulty(models.IntegerChoices):
    """Washington Group functional-difficulty scale as used in DTSEN (1 = most severe)."""

    CANNOT = 1, _("Tidak bisa sama sekali")
    A_LOT = 2, _("Banyak kesulitan")
    SOME = 3, _("Sedikit kesulitan")
    NONE = 4, _("Tidak mengalami kesulitan")


FUNCTIONAL_ITEMS = [
    ("penglihatan", _("Penglihatan")),
    ("pendengaran", _("Pendengaran")),
    ("berjalan_atau_naik_tangga", _("Berjalan atau naik tangga")),
    ("menggunakan_tangan_jari", _("Menggunakan tangan/jari")),
    ("mengingat_berkonsentrasi", _("Mengingat/berkonsentrasi")),
    ("mengurus_diri", _("Mengurus diri")),
    ("berbicara_komunikasi", _("Berbicara/komunikasi")),
    ("belajar_kemampuan_intelektual", _("Belajar/kemampuan intelektual")),
    ("pengendalian_perilaku", _("Pengendalian perilaku")),
    ("kesedihan_depresi", _("Kesedihan/depresi")),
]


class NikFlag(models.TextChoices):
    """Warnings of the NIK check kept on a member for someone to look at."""

    MISSING = "missing", _("Tanpa NIK")
    UNKNOWN_PREFIX = "unknown_prefix", _("Kode wilayah NIK tidak dikenal")
    BIRTHDATE_MISMATCH = "birthdate_mismatch", _("Tanggal lahir tidak cocok dengan NIK")
    SEX_MISMATCH = "sex_mismatch", _("Jenis kelamin tidak cocok dengan NIK")


class ChangeSource(models.TextChoices):
    FORM = "form", _("Formulir")
    IMPORT = "import", _("Impor")
    DATA_UPDATE = "data_update", _("Usulan perubahan disetujui")
    MERGE = "merge", _("Penggabungan duplikat")
    SYSTEM = "system", _("Sistem")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Dibuat")
    UPDATE = "update", _("Diubah")
    DELETE = "delete", _("Dihapus")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV")
