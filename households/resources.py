"""django-import-export resources of the registry.

``MemberResource`` writes one row per member with the household's fields repeated, in the column
layout of docs/registry-format.md (BNBA), so that an export can be edited and imported again. Coded
fields are written as the importer reads them: sex and relationship as their national codes,
the other choices as their Indonesian words, yes/no flags as ``ya``/``tidak``.
"""

from decimal import Decimal

from import_export import fields, resources, widgets

from households.choices import (
    FUNCTIONAL_ITEMS,
    HomeOwnership,
    MaritalStatus,
    SchoolParticipation,
)
from households.models import Member

DATE_FORMAT = "%d/%m/%Y"

HOUSEHOLD_COLUMNS = [
    "kode_desa",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "no_kk",
    "desil",
    "status_rumah",
    "luas_lantai",
    "jenis_lantai",
    "jenis_dinding",
    "jenis_atap",
    "sumber_air_minum",
    "sumber_penerangan",
    "daya_listrik",
    "bahan_bakar_memasak",
    "fasilitas_bab",
]
MEMBER_COLUMNS = [
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "status_kawin",
    "nama_ibu_kandung",
    "pendidikan",
    "partisipasi_sekolah",
    "pekerjaan",
    "disabilitas",
    "penyakit_kronis",
    "hamil",
]
# Columns of the national export the registry keeps (docs/registry-format.md, national columns).
NATIONAL_COLUMNS = [
    "jenis_kloset",
    "pembuangan_akhir_tinja",
    "pbi_nas",
    "pbi_pemda",
    "status_bekerja",
    "kondisi_gizi",
    *[key for key, _label in FUNCTIONAL_ITEMS],
]
EXPORT_COLUMNS = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS + NATIONAL_COLUMNS

# Columns that hold identity numbers: always text, never a number Excel could round.
TEXT_COLUMNS = frozenset({"kode_desa", "no_kk", "nik", "rt", "rw"})


class PlainNumberWidget(widgets.NumberWidget):
    """A number as it is (xlsx) or as plain digits with a dot for decimals (CSV).

    The library's widget localises (``36,5``, ``1.300``), which the importer would misread."""

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        if value is None or value == "":
            return ""
        if isinstance(value, Decimal):
            # 36.00 → "36", 36.50 → "36.5"
            return format(value.normalize(), "f")
        return str(value)


def yes_no(value) -> str:
    if value is None:
        return ""
    return "ya" if value else "tidak"


def household_field(name, widget=None, column_name=None):
    return fields.Field(
        attribute=f"household__{name}",
        column_name=column_name or name,
        widget=widget,
        readonly=True,
    )


def member_field(name, widget=None, attribute=None):
    return fields.Field(attribute=attribute or name, column_name=name, widget=widget, readonly=True)


class MemberResource(resources.ModelResource):
    """One row per member, the household's columns first (the import layout)."""

    kode_desa = household_field("desa_id", column_name="kode_desa")
    alamat = household_field("alamat")
    rt = household_field("rt")
    rw = household_field("rw")
    dusun = household_field("dusun")
    no_kk = household_field("no_kk")
    desil = household_field("desil", PlainNumberWidget())
    status_rumah = fields.Field(column_name="status_rumah", readonly=True)
    luas_lantai = household_field("luas_lantai", PlainNumberWidget())
    jenis_lantai = household_field("jenis_lantai")
    jenis_dinding = household_field("jenis_dinding")
    jenis_atap = household_field("jenis_atap")
    sumber_air_minum = household_field("sumber_air_minum")
    sumber_penerangan = household_field("sumber_penerangan")
    daya_listrik = household_field("daya_listrik", PlainNumberWidget())
    bahan_bakar_memasak = household_field("bahan_bakar_memasak")
    fasilitas_bab = household_field("fasilitas_bab")
    jenis_kloset = household_field("jenis_kloset")
    pembuangan_akhir_tinja = household_field("pembuangan_akhir_tinja")
    pbi_nas = fields.Field(column_name="pbi_nas", readonly=True)
    pbi_pemda = fields.Field(column_name="pbi_pemda", readonly=True)

    tanggal_lahir = member_field(
        "tanggal_lahir", widgets.DateWidget(format=DATE_FORMAT, coerce_to_string=True)
    )
    jenis_kelamin = member_field("jenis_kelamin", PlainNumberWidget())
    hubungan_keluarga = member_field("hubungan_keluarga", PlainNumberWidget())
    status_kawin = fields.Field(column_name="status_kawin", readonly=True)
    partisipasi_sekolah = fields.Field(column_name="partisipasi_sekolah", readonly=True)
    hamil = fields.Field(column_name="hamil", readonly=True)

    class Meta:
        model = Member
        fields = EXPORT_COLUMNS
        export_order = EXPORT_COLUMNS
        chunk_size = 2000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for key, _label in FUNCTIONAL_ITEMS:
            self.fields[key] = member_field(
                key, PlainNumberWidget(), attribute=f"functional_difficulties__{key}"
            )
        # Choice labels in the active language, looked up once instead of once per cell.
        self.labels = {
            choices: {value: str(label) for value, label in choices.choices}
            for choices in (HomeOwnership, MaritalStatus, SchoolParticipation)
        }
        # What ``export_field`` decides per cell (dehydrate method or field), decided once per
        # export: the library's per-cell field-name lookup dominated the export time.
        self.cell_exporters = [self._cell_exporter(field) for field in self.get_export_fields()]

    def _cell_exporter(self, field):
        method = getattr(self, field.get_dehydrate_method(self.get_field_name(field)), None)
        if method is not None:
            return lambda member, native: method(member)
        return lambda member, native: field.export(member, force_native_type=native)

    def export_row(self, member, native: bool) -> list:
        """The cells of one member. ``native`` keeps numbers and dates as Python values (for
        xlsx); otherwise every cell is text as the CSV holds it."""
        return [export(member, native) for export in self.cell_exporters]

    def dehydrate_status_rumah(self, member):
        return self.labels[HomeOwnership].get(member.household.status_rumah, "")

    def dehydrate_pbi_nas(self, member):
        return yes_no(member.household.pbi_nas)

    def dehydrate_pbi_pemda(self, member):
        return yes_no(member.household.pbi_pemda)

    def dehydrate_status_kawin(self, member):
        return self.labels[MaritalStatus].get(member.status_kawin, "")

    def dehydrate_partisipasi_sekolah(self, member):
        return self.labels[SchoolParticipation].get(member.partisipasi_sekolah, "")

    def dehydrate_hamil(self, member):
        return yes_no(member.hamil)
