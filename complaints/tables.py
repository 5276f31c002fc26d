"""The tables of the complaints app: complaints (with the SLA badge) and categories."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.choices import SLA_BADGES, STATUS_BADGES
from complaints.models import Category, Complaint
from complaints.services.sla import at_risk_until, sla_state
from core.tables import StatusBadgeColumn

NOWRAP = {"td": {"class": "nowrap"}}


class SlaColumn(tables.Column):
    """The service-level badge; the working-day cut-off is computed once per table."""

    def render(self, record, table):
        if not hasattr(table, "sla_today"):
            table.sla_today = timezone.localdate()
            table.sla_risk_until = at_risk_until(table.sla_today, table.sla_area)
        state = sla_state(record, table.sla_today, table.sla_risk_until)
        return format_html('<span class="badge {}">{}</span>', SLA_BADGES[state], state.label)


class ComplaintTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk", attrs={"th__input": {"aria-label": _("Pilih semua")}}, orderable=False
    )
    ticket = tables.Column(
        verbose_name=_("Tiket"), linkify=True, order_by=("id",), attrs=NOWRAP, accessor="pk"
    )
    received_at = tables.Column(verbose_name=_("Diterima"))
    category = tables.Column(verbose_name=_("Kategori"), order_by=("category__order",))
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), order_by=("desa_id",))
    channel = tables.Column(verbose_name=_("Saluran"))
    assignee = tables.Column(verbose_name=_("Petugas"), default="–")
    status = StatusBadgeColumn(STATUS_BADGES, verbose_name=_("Status"))
    due_date = tables.Column(verbose_name=_("Batas waktu"))
    sla = SlaColumn(verbose_name=_("Layanan"), empty_values=(), orderable=False)

    class Meta:
        model = Complaint
        fields = []
        sequence = [
            "select",
            "ticket",
            "received_at",
            "category",
            "desa",
            "channel",
            "assignee",
            "status",
            "due_date",
            "sla",
        ]
        template_name = "households/table.html"
        empty_text = _("Tidak ada pengaduan yang cocok dengan filter.")
        order_by = "-received_at"

    def __init__(self, *args, selectable=False, area="", **kwargs):
        super().__init__(*args, **kwargs)
        self.sla_area = area or ""
        if not selectable:
            self.columns.hide("select")

    def render_ticket(self, record):
        return record.ticket

    def render_received_at(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def render_due_date(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def render_desa(self, value):
        return value.name

    def render_assignee(self, value):
        return value.get_full_name() or value.username


class CategoryTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Kategori"), linkify=("complaints:category_edit", [tables.A("code")])
    )
    service_days = tables.Column(verbose_name=_("Batas waktu (hari kerja)"))
    handling_unit = tables.Column(verbose_name=_("Unit penanganan"))
    active = tables.BooleanColumn(verbose_name=_("Aktif"))

    class Meta:
        model = Category
        fields = ["name", "service_days", "handling_unit", "active"]
        template_name = "households/table.html"
        orderable = False
