"""The registry file's columns: names, national aliases, header folding and the template list.

A header cell is *folded* (lower case, anything in brackets dropped, every run of spaces, dots,
dashes, slashes or underscores made one ``_``) and then looked up here, so ``No. KK``,
``NO_KK``, ``no kk`` and the national ``NOMOR_KARTU_KELUARGA`` all name ``no_kk``.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from households.choices import FUNCTIONAL_ITEMS


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # how the cell is read (see cells.CONVERTERS)
    household: bool  # a household field (repeated on each member row) or a member field
    required: bool = False
    explanation: str = ""
    codes: str = ""
    max_length: int = 0


DIFFICULTY_CODES = _(
    "1 tidak bisa sama sekali, 2 banyak kesulitan, 3 sedikit kesulitan, 4 tidak mengalami kesulitan"
)
YES_NO = _("ya / tidak (atau 1 ya, 2 tidak)")

COLUMNS: list[Column] = [
    Column(
        "kode_desa",
        "desa",
        True,
        True,
        _(
            "Kode desa/kelurahan Kemendagri, 10 angka, bertitik (35.07.01.2001) atau tidak "
            "(3507012001). Harus ada di daftar wilayah dan di dalam wilayah Anda."
        ),
    ),
    Column("alamat", "text", True, False, _("Alamat (jalan, nomor rumah)."), max_length=255),
    Column("rt", "rt", True, False, _("Nomor RT, 1–3 angka.")),
    Column("rw", "rt", True, False, _("Nomor RW, 1–3 angka.")),
    Column("dusun", "text", True, False, _("Dusun/lingkungan."), max_length=100),
    Column(
        "no_kk",
        "no_kk",
        True,
        True,
        _(
            "Nomor Kartu Keluarga, 16 angka. Semua anggota satu keluarga memakai No. KK yang "
            "sama. Format kolom sebagai Teks agar Excel tidak merusak angkanya."
        ),
    ),
    Column("desil", "desil", True, False, _("Desil kesejahteraan 1–10 (1 = paling miskin).")),
    Column(
        "status_rumah",
        "home",
        True,
        False,
        _("Status kepemilikan rumah."),
        _("1 milik sendiri, 2 kontrak/sewa, 3 bebas sewa, 4 dinas, 5 lainnya"),
    ),
    Column("luas_lantai", "area", True, False, _("Luas lantai dalam m², mis. 36 atau 36,5.")),
    Column("jenis_lantai", "text", True, False, _("Jenis lantai terluas."), max_length=100),
    Column("jenis_dinding", "text", True, False, _("Jenis dinding terluas."), max_length=100),
    Column("jenis_atap", "text", True, False, _("Jenis atap terluas."), max_length=100),
    Column("sumber_air_minum", "text", True, False, _("Sumber air minum utama."), max_length=100),
    Column("sumber_penerangan", "text", True, False, _("Sumber penerangan utama."), max_length=100),
    Column("daya_listrik", "power", True, False, _("Daya listrik terpasang dalam VA, mis. 900.")),
    Column(
        "bahan_bakar_memasak", "text", True, False, _("Bahan bakar utama memasak."), max_length=100
    ),
    Column(
        "fasilitas_bab",
        "text",
        True,
        False,
        _("Fasilitas tempat buang air besar."),
        max_length=100,
    ),
    Column("jenis_kloset", "text", True, False, _("Jenis kloset."), max_length=100),
    Column(
        "pembuangan_akhir_tinja",
        "text",
        True,
        False,
        _("Tempat pembuangan akhir tinja."),
        max_length=100,
    ),
    Column("pbi_nas", "flag", True, False, _("Penerima PBI JK nasional."), YES_NO),
    Column("pbi_pemda", "flag", True, False, _("Penerima PBI JK pemerintah daerah."), YES_NO),
    Column(
        "nik",
        "nik",
        False,
        True,
        _(
            "Nomor Induk Kependudukan, 16 angka, unik untuk setiap orang. Boleh kosong untuk "
            "orang tanpa dokumen (ditandai untuk diperiksa). Format kolom sebagai Teks."
        ),
    ),
    Column("nama", "name", False, True, _("Nama lengkap sesuai KTP/KK."), max_length=150),
    Column(
        "jenis_kelamin",
        "sex",
        False,
        True,
        _("Jenis kelamin."),
        _("1 laki-laki (L), 2 perempuan (P)"),
    ),
    Column("tempat_lahir", "text", False, False, _("Tempat lahir."), max_length=100),
    Column(
        "tanggal_lahir",
        "date",
        False,
        True,
        _("Tanggal lahir: sel tanggal Excel, dd/mm/yyyy, dd-mm-yyyy atau yyyy-mm-dd."),
    ),
    Column(
        "hubungan_keluarga",
        "relation",
        False,
        True,
        _("Hubungan dengan kepala keluarga. Setiap keluarga punya tepat satu kepala keluarga."),
        _(
            "1 kepala keluarga, 2 istri/suami, 3 anak, 4 menantu, 5 cucu, 6 orang tua/mertua, "
            "7 pembantu, 8 lainnya"
        ),
    ),
    Column(
        "status_kawin",
        "marital",
        False,
        False,
        _("Status perkawinan."),
        _("1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati"),
    ),
    Column("nama_ibu_kandung", "text", False, False, _("Nama ibu kandung."), max_length=150),
    Column("pendidikan", "text", False, False, _("Pendidikan tertinggi."), max_length=100),
    Column(
        "partisipasi_sekolah",
        "school",
        False,
        False,
        _("Partisipasi sekolah."),
        _("1 tidak/belum pernah sekolah, 2 masih sekolah, 3 tidak sekolah lagi"),
    ),
    Column("pekerjaan", "text", False, False, _("Pekerjaan utama."), max_length=100),
    Column(
        "status_bekerja",
        "text",
        False,
        False,
        _("Status/kedudukan dalam pekerjaan."),
        max_length=100,
    ),
    Column(
        "disabilitas",
        "text",
        False,
        False,
        _("Jenis disabilitas (kosong = tidak ada)."),
        max_length=150,
    ),
    Column(
        "penyakit_kronis",
        "text",
        False,
        False,
        _("Penyakit kronis/menahun (kosong = tidak ada)."),
        max_length=150,
    ),
    Column("hamil", "flag", False, False, _("Sedang hamil."), YES_NO),
    Column("kondisi_gizi", "text", False, False, _("Kondisi gizi."), max_length=100),
    *[
        Column(
            item,
            "difficulty",
            False,
            False,
            format_lazy(_("Kesulitan fungsional: {}."), label),
            DIFFICULTY_CODES,
        )
        for item, label in FUNCTIONAL_ITEMS
    ],
]
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED = [column.name for column in COLUMNS if column.required]
FUNCTIONAL_NAMES = [item for item, _label in FUNCTIONAL_ITEMS]

# Families of national columns whose names vary: each becomes one key of a JSON field.
ASSET_PREFIXES = ("aset_bergerak_", "aset_tidak_bergerak_")
LIVESTOCK_PREFIX = "jumlah_ternak_"

ALIASES = {
    "nomor_induk_kependudukan": "nik",
    "nomor_nik": "nik",
    "nomor_kartu_keluarga": "no_kk",
    "nomor_kk": "no_kk",
    "kode_kelurahan_desa": "kode_desa",
    "desil_nasional": "desil",
    "status_hubungan_keluarga": "hubungan_keluarga",
    "status_kepemilikan_rumah": "status_rumah",
    "jenis_lantai_terluas": "jenis_lantai",
    "jenis_dinding_terluas": "jenis_dinding",
    "jenis_atap_terluas": "jenis_atap",
    "sumber_air_minum_utama": "sumber_air_minum",
    "sumber_penerangan_utama": "sumber_penerangan",
    "daya_terpasang": "daya_listrik",
    "bahan_bakar_utama_memasak": "bahan_bakar_memasak",
}
# The KTP address columns stand in for the plain ones only when those are absent.
FALLBACKS = {"alamat_ktp": "alamat", "rt_ktp": "rt", "rw_ktp": "rw", "dusun_ktp": "dusun"}

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def fold(header) -> str:
    """``' No. KK '`` → ``no_kk``; ``Luas Lantai (m²)`` → ``luas_lantai``."""
    if header is None:
        return ""
    text = _BRACKETS.sub(" ", str(header).lower())
    return _SEPARATORS.sub("_", text).strip("_")


def canonical(folded: str) -> str | None:
    """The column a folded header names, or None when the importer does not know it."""
    if folded in COLUMNS_BY_NAME:
        return folded
    if folded in ALIASES:
        return ALIASES[folded]
    if folded.startswith(ASSET_PREFIXES) or folded.startswith(LIVESTOCK_PREFIX):
        return folded
    return None


@dataclass
class HeaderMap:
    """Where each known column sits in the header row (0-based positions)."""

    positions: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)
    score: int = 0

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED if name not in self.positions]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def map_header(cells) -> HeaderMap:
    result = HeaderMap()
    seen: dict[str, list[int]] = {}
    fallbacks: dict[str, int] = {}
    for index, cell in enumerate(cells):
        folded = fold(cell)
        if not folded:
            continue
        if folded in FALLBACKS:
            fallbacks.setdefault(FALLBACKS[folded], index)
            result.score += 1
            continue
        name = canonical(folded)
        if name is None:
            result.unknown.append(str(cell).strip())
            continue
        seen.setdefault(name, []).append(index)
        result.score += 1
    for name, indexes in seen.items():
        result.positions[name] = indexes[0]
        if len(indexes) > 1:
            result.duplicates.append((name, [column_letter(i) for i in indexes]))
    for name, index in fallbacks.items():
        result.positions.setdefault(name, index)
    return result


def template_columns() -> list[tuple[str, bool, str, str]]:
    """(column, required, explanation, codes) in file order, for the template download."""
    return [(column.name, column.required, column.explanation, column.codes) for column in COLUMNS]


# Column families the template explains but cannot list one by one (any name with the prefix).
TEMPLATE_COLUMN_FAMILIES = [
    (
        "aset_bergerak_*, aset_tidak_bergerak_*",
        _("Kepemilikan aset, satu kolom per aset (mis. aset_bergerak_sepeda_motor)."),
        YES_NO,
    ),
    (
        "jumlah_ternak_*",
        _("Jumlah ternak, satu kolom per jenis (mis. jumlah_ternak_sapi)."),
        _("bilangan bulat 0 atau lebih"),
    ),
]
