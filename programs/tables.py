"""The tables of the programs app, one per list, their columns declared once: the program
catalogue, agencies, enrolments, empowerment groups and disbursements."""

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import StatusBadgeColumn
from households.tables import CappedCountData
from programs.choices import DISBURSEMENT_STATUS_BADGES, ENROLMENT_STATUS_BADGES, EligibilityIssue
from programs.models import Agency, Disbursement, EmpowermentGroup, Enrolment, Program
from programs.templatetags.program_format import rupiah

NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}


class ActiveColumn(tables.BooleanColumn):
    def render(self, value, record, bound_column):
        if value:
            return format_html('<span class="badge badge-ok">{}</span>', _("Aktif"))
        return format_html('<span class="badge badge-muted">{}</span>', _("Tidak aktif"))


class RupiahColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return rupiah(value)


class DateColumn(tables.Column):
    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")


class ProgramTable(tables.Table):
    code = tables.Column(verbose_name=_("Kode"), linkify=True, attrs=NOWRAP)
    name = tables.Column(verbose_name=_("Nama program"))
    kind = tables.Column(verbose_name=_("Jenis"))
    cluster = tables.Column(verbose_name=_("Klaster"))
    agency = tables.Column(verbose_name=_("OPD/lembaga"), order_by=("agency__name",))
    funding_source = tables.Column(verbose_name=_("Sumber dana"))
    open_count = tables.Column(
        verbose_name=_("Peserta terbuka di wilayah Anda"), attrs=NUMERIC, orderable=True
    )
    active = ActiveColumn(verbose_name=_("Status"))

    class Meta:
        model = Program
        fields = ["code", "name", "kind", "cluster", "agency", "funding_source", "open_count"]
        sequence = [*fields, "active"]
        template_name = "households/table.html"
        empty_text = _("Tidak ada program yang cocok dengan filter.")
        order_by = "code"

    def render_open_count(self, value):
        return f"{value:,}".replace(",", ".")


class AgencyTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Nama"), linkify=("programs:agency_detail", [tables.A("pk")])
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    cluster = tables.Column(verbose_name=_("Klaster"))
    region = tables.Column(verbose_name=_("Wilayah"), default=_("Nasional/provinsi"))
    program_count = tables.Column(verbose_name=_("Program"), attrs=NUMERIC)
    active = ActiveColumn(verbose_name=_("Status"))

    class Meta:
        model = Agency
        fields = ["name", "kind", "cluster", "region", "program_count", "active"]
        template_name = "households/table.html"
        empty_text = _("Tidak ada OPD/lembaga yang cocok dengan filter.")

    def render_region(self, value):
        return value.name


class ProductiveColumn(tables.Column):
    def render(self, value):
        if value:
            return format_html('<span class="badge badge-ok">{}</span>', _("Produktif"))
        return format_html('<span class="badge badge-muted">{}</span>', _("Belum produktif"))


class EmpowermentGroupTable(tables.Table):
    name = tables.Column(verbose_name=_("Nama kelompok"), linkify=True)
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), order_by=("desa__name",))
    program = tables.Column(verbose_name=_("Program"), default="–", order_by=("program__code",))
    business_type = tables.Column(verbose_name=_("Jenis usaha"))
    member_count = tables.Column(verbose_name=_("Anggota"), attrs=NUMERIC)
    capital_aid = RupiahColumn(verbose_name=_("Bantuan modal"))
    latest_turnover = RupiahColumn(verbose_name=_("Omzet/bulan terakhir"), default="–")
    is_productive = ProductiveColumn(verbose_name=_("Produktif"))
    active = ActiveColumn(verbose_name=_("Status"))

    class Meta:
        model = EmpowermentGroup
        fields = ["name", "desa", "program", "business_type", "capital_aid"]
        sequence = [
            "name",
            "desa",
            "program",
            "business_type",
            "member_count",
            "capital_aid",
            "latest_turnover",
            "is_productive",
            "active",
        ]
        template_name = "households/table.html"
        empty_text = _("Tidak ada kelompok yang cocok dengan filter.")

    def render_desa(self, value):
        return value.name

    def render_program(self, value):
        return value.code


class DisbursementTable(tables.Table):
    household = tables.Column(
        verbose_name=_("Keluarga"),
        accessor="enrolment__household",
        linkify=lambda record: record.enrolment.household.get_absolute_url(),
        order_by=("enrolment__household_id",),
    )
    desa = tables.Column(
        verbose_name=_("Desa/kelurahan"),
        accessor="enrolment__household__desa__name",
        order_by=("enrolment__household__desa__name",),
    )
    program = tables.Column(
        verbose_name=_("Program"),
        accessor="enrolment__program__code",
        order_by=("enrolment__program__code",),
    )
    period = tables.Column(verbose_name=_("Tahun/tahap"), order_by=("year", "period"))
    amount = RupiahColumn(verbose_name=_("Nilai"))
    kind = tables.Column(verbose_name=_("Bentuk"))
    channel = tables.Column(verbose_name=_("Saluran"))
    status = StatusBadgeColumn(DISBURSEMENT_STATUS_BADGES, verbose_name=_("Status"))
    disbursed_on = DateColumn(verbose_name=_("Tanggal salur"), default="–")
    edit = tables.TemplateColumn(
        template_name="programs/disbursements/edit_link.html",
        verbose_name="",
        orderable=False,
    )

    class Meta:
        model = Disbursement
        fields = ["amount", "kind", "channel", "status", "disbursed_on"]
        sequence = [
            "household",
            "desa",
            "program",
            "period",
            "amount",
            "kind",
            "channel",
            "status",
            "disbursed_on",
            "edit",
        ]
        template_name = "households/table.html"
        empty_text = _("Belum ada penyaluran yang cocok dengan filter.")

    def __init__(self, data, **kwargs):
        # Millions of rows at district level: the count stops at a limit (the page then says
        # "more than"), as the registry list's does.
        super().__init__(CappedCountData(data), **kwargs)

    def render_household(self, value):
        return value.registry_id

    def render_period(self, record):
        return _("%(year)d tahap %(period)d") % {"year": record.year, "period": record.period}


class EnrolmentTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("programs:enrolment_detail", [tables.A("pk")]))
    program = tables.Column(verbose_name=_("Program"), accessor="program__code")
    household = tables.Column(
        verbose_name=_("Keluarga"),
        linkify=("households:household_detail", [tables.A("household_id")]),
        order_by=("household_id",),
    )
    member = tables.Column(verbose_name=_("Anggota"), orderable=False)
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="household__desa__name")
    desil = tables.Column(verbose_name=_("Desil"), accessor="household__desil")
    flags = tables.Column(verbose_name=_("Catatan"), orderable=False, empty_values=())
    start_date = tables.DateColumn(verbose_name=_("Mulai"), format="d/m/Y")
    status = StatusBadgeColumn(ENROLMENT_STATUS_BADGES, verbose_name=_("Status"))

    class Meta:
        model = Enrolment
        fields = ["pk", "program", "household", "member", "desa", "desil", "flags"]
        sequence = [*fields, "start_date", "status"]
        order_by = "-pk"
        attrs = {"class": "table"}
        empty_text = _("Belum ada kepesertaan.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_household(self, record):
        return f"{record.household.registry_id} · KK {record.household.no_kk}"

    def render_member(self, value):
        return value.nama

    def render_flags(self, record):
        if not record.flags:
            return "–"
        labels = ", ".join(str(EligibilityIssue(flag).label) for flag in record.flags)
        return format_html(
            '<span class="badge badge-warn" title="{}">{}</span>', labels, _("Tidak sesuai aturan")
        )
