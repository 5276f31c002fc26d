"""The tables of the programs app, their columns declared once."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import StatusBadgeColumn
from programs.choices import ENROLMENT_STATUS_BADGES, EligibilityIssue
from programs.models import Enrolment


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
