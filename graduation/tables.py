"""The tables of the graduation app, one per list, columns declared once."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import StatusBadgeColumn
from graduation.choices import GRADUATION_STATUS_BADGES
from graduation.models import Facilitator, Graduation, MonitoringVisit

NOWRAP = {"td": {"class": "nowrap"}}


class GraduationTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("graduation:graduation_detail", [tables.A("pk")]))
    household = tables.Column(verbose_name=_("Keluarga"), order_by=("household_id",))
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="household__desa__name")
    kind = tables.Column(verbose_name=_("Jenis"))
    graduation_date = tables.DateColumn(verbose_name=_("Tanggal"), format="d/m/Y", attrs=NOWRAP)
    facilitator = tables.Column(
        verbose_name=_("Pendamping"), order_by=("facilitator__user__username",)
    )
    next_program = tables.Column(verbose_name=_("Pemberdayaan"), accessor="next_program__code")
    status = StatusBadgeColumn(GRADUATION_STATUS_BADGES, verbose_name=_("Status"))

    class Meta:
        model = Graduation
        fields = ["pk", "household", "desa", "kind", "graduation_date", "facilitator"]
        sequence = [*fields, "next_program", "status"]
        order_by = "-pk"
        attrs = {"class": "table"}
        empty_text = _("Belum ada graduasi.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_household(self, record):
        return f"{record.household.registry_id} · KK {record.household.no_kk}"

    def render_facilitator(self, value):
        return value.name


class FacilitatorTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Nama"),
        accessor="user__username",
        linkify=("graduation:facilitator_detail", [tables.A("pk")]),
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    area = tables.Column(verbose_name=_("Wilayah tugas"), order_by=("area_id",))
    caseload = tables.Column(verbose_name=_("KPM dampingan"), attrs={"td": {"class": "num"}})
    active = tables.BooleanColumn(verbose_name=_("Aktif"), yesno=(_("Ya"), _("Tidak")))

    class Meta:
        model = Facilitator
        fields = ["name", "kind", "area", "caseload", "active"]
        order_by = "area"
        attrs = {"class": "table"}
        empty_text = _("Belum ada pendamping.")

    def render_name(self, record):
        return record.name

    def render_area(self, value):
        return f"{value.name} ({value.code})"


class VisitTable(tables.Table):
    household = tables.Column(
        verbose_name=_("Keluarga"),
        accessor="graduation__household",
        order_by=("graduation__household_id",),
    )
    graduation = tables.Column(
        verbose_name=_("Graduasi"),
        linkify=("graduation:graduation_detail", [tables.A("graduation_id")]),
        order_by=("graduation_id",),
    )
    round = tables.Column(verbose_name=_("Pemantauan"))
    due_on = tables.DateColumn(verbose_name=_("Jatuh tempo"), format="d/m/Y", attrs=NOWRAP)
    visited_on = tables.DateColumn(verbose_name=_("Dikunjungi"), format="d/m/Y", attrs=NOWRAP)
    still_self_reliant = tables.Column(verbose_name=_("Masih mandiri?"), empty_values=())
    record = tables.Column(verbose_name="", empty_values=(), orderable=False, accessor="pk")

    class Meta:
        model = MonitoringVisit
        fields = ["household", "graduation", "round", "due_on", "visited_on"]
        sequence = [*fields, "still_self_reliant", "record"]
        order_by = "due_on"
        attrs = {"class": "table"}
        empty_text = _("Tidak ada kunjungan pemantauan.")
        default = "–"

    def render_household(self, value):
        return f"{value.registry_id} · KK {value.no_kk}"

    def render_graduation(self, value):
        return f"#{value.pk}"

    def render_due_on(self, record, value):
        text = value.strftime("%d/%m/%Y")
        if record.overdue:
            return format_html('{} <span class="badge badge-error">{}</span>', text, _("terlambat"))
        return text

    def render_still_self_reliant(self, value):
        if value is None:
            return "–"
        return _("Ya") if value else _("Tidak")

    def render_record(self, record):
        label = _("Catat kunjungan") if record.visited_on is None else _("Ubah")
        return format_html('<a class="btn" href="{}">{}</a>', record.get_absolute_url(), label)
