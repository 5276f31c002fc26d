import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import StatusBadgeColumn
from referrals.choices import REFERRAL_STATUS_BADGES
from referrals.models import Intake, Referral, ServicePoint


class ReferralTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Nomor"), linkify=("referrals:referral_detail", [tables.A("pk")])
    )
    resident = tables.Column(verbose_name=_("Warga"), empty_values=(), orderable=False)
    need = tables.Column(verbose_name=_("Kebutuhan"), accessor="need__need")
    agency = tables.Column(verbose_name=_("Dirujuk ke"), accessor="agency__name")
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="desa__name")
    sent_on = tables.DateColumn(verbose_name=_("Dikirim"), format="d/m/Y")
    due_date = tables.DateColumn(verbose_name=_("Batas waktu"), format="d/m/Y")
    status = StatusBadgeColumn(REFERRAL_STATUS_BADGES, verbose_name=_("Status"))

    class Meta:
        model = Referral
        fields = ["reference", "resident", "need", "agency", "desa", "sent_on", "due_date"]
        sequence = [*fields, "status"]
        order_by = "-sent_on"
        attrs = {"class": "table"}
        empty_text = _("Belum ada rujukan.")
        default = "–"

    def render_resident(self, record):
        return record.intake.resident_name

    def render_need(self, record):
        return record.need.get_need_display()

    def render_due_date(self, record, value):
        if record.is_overdue:
            return format_html(
                '{} <span class="badge badge-error">{}</span>',
                value.strftime("%d/%m/%Y"),
                _("terlambat"),
            )
        return value.strftime("%d/%m/%Y")


class InboxTable(ReferralTable):
    class Meta(ReferralTable.Meta):
        fields = ["reference", "resident", "need", "desa", "sent_on", "due_date"]
        sequence = [*fields, "status"]
        exclude = ["agency"]


class IntakeTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("referrals:intake_detail", [tables.A("pk")]))
    created_at = tables.DateTimeColumn(verbose_name=_("Tanggal"), format="d/m/Y H:i")
    resident = tables.Column(verbose_name=_("Warga"), empty_values=(), orderable=False)
    service_point = tables.Column(verbose_name=_("Puskesos"), accessor="service_point__name")
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="desa__name")
    channel = tables.Column(verbose_name=_("Cara datang"))
    needs = tables.Column(verbose_name=_("Kebutuhan"), empty_values=(), orderable=False)

    class Meta:
        model = Intake
        fields = ["pk", "created_at", "resident", "service_point", "desa", "channel", "needs"]
        order_by = "-created_at"
        attrs = {"class": "table"}
        empty_text = _("Belum ada layanan warga.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_resident(self, record):
        if record.member_id:
            return record.member.nama
        return format_html(
            '{} <span class="badge badge-warn">{}</span>', record.person_name, _("belum terdaftar")
        )

    def render_needs(self, record):
        return ", ".join(str(need.get_need_display()) for need in record.needs.all())


class ServicePointTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Nama"), linkify=("referrals:service_point_edit", [tables.A("pk")])
    )
    region = tables.Column(verbose_name=_("Wilayah"), accessor="region__name")
    phone = tables.Column(verbose_name=_("Telepon"))
    active = tables.BooleanColumn(verbose_name=_("Aktif"), yesno=(_("ya"), _("tidak")))

    class Meta:
        model = ServicePoint
        fields = ["name", "region", "phone", "active"]
        attrs = {"class": "table"}
        empty_text = _("Belum ada Puskesos.")
        default = "–"
