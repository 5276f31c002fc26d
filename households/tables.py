"""The tables of the households app, one per list, their columns declared once: the registry
list, the export log, the proposal queues, the duplicate queue, the import history and an
import's issues."""

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData

from core.tables import StatusBadgeColumn
from households import exports
from households.choices import HouseholdStatus
from households.models import (
    DataUpdate,
    DuplicateCandidate,
    ExportLog,
    Household,
    ImportIssue,
    ImportJob,
)
from households.models.imports import IMPORT_STATUS_BADGES, IssueLevel
from households.models.updates import (
    DUPLICATE_STATUS_BADGES,
    UPDATE_STATUS_BADGES,
    DuplicateReason,
)
from households.services.registry import by_desa

# Counting a large filtered set is the slowest part of a list page; above this many rows the
# page says "more than" instead of counting on (nobody pages that far: they filter).
COUNT_LIMIT = 10_000
PAGE_SIZES = (25, 50, 100)
NUMERIC = {"td": {"class": "num"}, "th": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}
# Left out on a phone screen: the row still links to the household page that has them.
OPTIONAL = {"td": {"class": "col-optional"}, "th": {"class": "col-optional"}}


class CappedCountData(TableQuerysetData):
    """Table data whose length is counted up to ``COUNT_LIMIT`` rows only."""

    count_capped = False

    def __len__(self):
        if getattr(self, "_length", None) is None:
            counted = self.data.order_by().values("pk")[: COUNT_LIMIT + 1].count()
            self.count_capped = counted > COUNT_LIMIT
            self._length = min(counted, COUNT_LIMIT)
        return self._length


class RegistryPaginator(Paginator):
    """Paginator that knows whether its count stopped at the limit."""

    @property
    def count_capped(self) -> bool:
        self.count  # noqa: B018 - the count decides whether it was capped
        return getattr(self.object_list.data, "count_capped", False)


class HouseholdTable(tables.Table):
    registry_id = tables.Column(
        verbose_name=_("ID registri"),
        order_by=("id",),
        linkify=True,
        attrs={"td": {"class": "nowrap"}},
    )
    no_kk = tables.Column(verbose_name=_("No. KK"))
    head_name = tables.Column(verbose_name=_("Kepala keluarga"), default="–")
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="desa_name")
    kecamatan = tables.Column(
        verbose_name=_("Kecamatan"),
        accessor="kecamatan_name",
        attrs=OPTIONAL,
    )
    desil = tables.Column(
        verbose_name=_("Desil"), default="–", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    member_count = tables.Column(
        verbose_name=_("Anggota"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    status = StatusBadgeColumn(
        {
            HouseholdStatus.ACTIVE: "badge-ok",
            HouseholdStatus.MOVED: "badge-warn",
            HouseholdStatus.MERGED: "badge-muted",
        },
        verbose_name=_("Status"),
        attrs=OPTIONAL,
    )
    last_verified = tables.DateColumn(
        verbose_name=_("Terakhir diverifikasi"), format="d/m/Y", default="–", attrs=OPTIONAL
    )

    class Meta:
        model = Household
        fields = ()
        sequence = (
            "registry_id",
            "no_kk",
            "head_name",
            "desa",
            "kecamatan",
            "desil",
            "member_count",
            "status",
            "last_verified",
        )
        template_name = "households/table.html"
        attrs = {"class": "table"}
        empty_text = _("Tidak ada keluarga yang cocok dengan pencarian/filter ini.")
        orderable = True

    def __init__(self, data, **kwargs):
        super().__init__(CappedCountData(data), **kwargs)

    # Desa and kecamatan sort by region code (kecamatan code is the desa code's prefix), the
    # order the registry index keeps.
    def order_desa(self, queryset, is_descending):
        return queryset.order_by(*by_desa(is_descending)), True

    def order_kecamatan(self, queryset, is_descending):
        return queryset.order_by(*by_desa(is_descending)), True

    def render_head_name(self, value, record):
        matched = getattr(record, "matched_name", None)
        if matched and matched != value:
            return format_html(
                '{}<br><small class="muted">{} {}</small>', value, _("cocok:"), matched
            )
        return value


class ExportLogTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("Waktu"), format="d/m/Y H:i")
    user = tables.Column(verbose_name=_("Petugas"), order_by=("user__first_name", "user__username"))
    area_code = tables.Column(verbose_name=_("Wilayah"))
    what = tables.Column(verbose_name=_("Data"))
    file_format = tables.Column(verbose_name=_("Format"))
    filters = tables.Column(verbose_name=_("Filter"), orderable=False, empty_values=())
    row_count = tables.Column(
        verbose_name=_("Jumlah baris"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        model = ExportLog
        fields = ["created_at", "user", "area_code", "what", "file_format", "filters", "row_count"]
        template_name = "households/table.html"
        empty_text = _("Belum ada ekspor yang tercatat.")
        attrs = {"class": "table"}

    def render_user(self, record):
        name = record.user.get_full_name()
        if not name:
            return record.user.username
        return format_html('{}<br><span class="muted small">{}</span>', name, record.user.username)

    def render_area_code(self, record):
        if record.area_name:
            return format_html(
                '{}<br><span class="muted small">{}</span>', record.area_name, record.area_code
            )
        return record.area_code or _("Seluruh wilayah")

    def render_what(self, value):
        return exports.EXPORT_KINDS.get(value, value)

    def render_file_format(self, value):
        return value.upper()

    def render_filters(self, record):
        pairs = exports.describe_filters(record.filters)
        if not pairs:
            return _("Tanpa filter")
        return format_html_join(mark_safe("<br>"), '<span class="muted">{}:</span> {}', pairs)

    def render_row_count(self, value):
        return exports.grouped(value)


class DataUpdateTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("households:update_detail", [tables.A("pk")]))
    kind = tables.Column(verbose_name=_("Jenis"))
    household = tables.Column(verbose_name=_("Keluarga"), empty_values=())
    desa = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="desa__name")
    member = tables.Column(verbose_name=_("Anggota"), accessor="member__nama")
    proposed_by = tables.Column(verbose_name=_("Pengusul"))
    proposed_at = tables.DateTimeColumn(verbose_name=_("Diusulkan"), short=True)
    status = StatusBadgeColumn(UPDATE_STATUS_BADGES, verbose_name=_("Status"))
    decision_note = tables.Column(verbose_name=_("Catatan keputusan"))

    class Meta:
        model = DataUpdate
        fields = ["pk", "kind", "household", "desa", "member", "proposed_by", "proposed_at"]
        sequence = [*fields, "status", "decision_note"]
        order_by = "-proposed_at"
        attrs = {"class": "table"}
        empty_text = _("Tidak ada usulan.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_household(self, record):
        if record.household is None:
            return format_html('<span class="muted">{}</span>', _("(keluarga baru)"))
        return format_html(
            '<a href="{}">{}</a><br><small class="muted">KK {}</small>',
            record.household.get_absolute_url(),
            record.household.registry_id,
            record.household.no_kk,
        )

    def render_proposed_by(self, value):
        return value.get_full_name() or value.username


def _member_cell(member):
    if member is None:
        return format_html('<span class="muted">{}</span>', _("(baris impor ditolak)"))
    return format_html(
        '{}<br><small class="muted">{} · {} · {}</small>',
        member.nama,
        member.nik or _("tanpa NIK"),
        member.household.registry_id,
        member.household.desa.name,
    )


class DuplicateCandidateTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("households:duplicate_detail", [tables.A("pk")]))
    reason = tables.Column(verbose_name=_("Alasan"))
    member_a = tables.Column(verbose_name=_("Data A"), orderable=False)
    member_b = tables.Column(verbose_name=_("Data B"), orderable=False, empty_values=())
    birth = tables.Column(
        verbose_name=_("Tanggal lahir"), accessor="member_a__tanggal_lahir", orderable=False
    )
    score = tables.Column(verbose_name=_("Kemiripan"))
    found_at = tables.DateTimeColumn(verbose_name=_("Ditemukan"), short=True)
    status = StatusBadgeColumn(DUPLICATE_STATUS_BADGES, verbose_name=_("Status"))

    class Meta:
        model = DuplicateCandidate
        fields = ["pk", "reason", "member_a", "member_b", "birth", "score", "found_at", "status"]
        order_by = "-score"
        attrs = {"class": "table"}
        empty_text = _("Tidak ada kandidat duplikat.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_reason(self, record):
        short = {
            DuplicateReason.SAME_NIK: _("NIK sama"),
            DuplicateReason.SIMILAR_NAME: _("Nama mirip"),
        }
        return format_html(
            '<span title="{}">{}</span>', record.get_reason_display(), short[record.reason]
        )

    def render_member_a(self, value):
        return _member_cell(value)

    def render_member_b(self, record):
        return _member_cell(record.member_b)

    def render_birth(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def render_score(self, value):
        return f"{value:.0%}"


class ImportStatusColumn(StatusBadgeColumn):
    def badge(self, record):
        return record.status_badge, record.status_label


class ImportJobTable(tables.Table):
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name=_("Waktu"))
    original_name = tables.Column(linkify=("households:import_detail", {"pk": tables.A("pk")}))
    user = tables.Column(verbose_name=_("Oleh"), order_by=("user__username",))
    status = ImportStatusColumn(IMPORT_STATUS_BADGES, default_badge="")
    rows_total = tables.Column(verbose_name=_("Baris"), attrs=NUMERIC)
    outcome = tables.Column(
        verbose_name=_("Hasil"), accessor="counts", orderable=False, empty_values=()
    )
    error_report = tables.Column(
        verbose_name=_("Laporan kesalahan"), orderable=False, empty_values=()
    )

    class Meta:
        model = ImportJob
        fields = ("created_at", "original_name", "user", "status", "rows_total")
        attrs = {"class": "table"}
        empty_text = _("Belum ada impor.")

    def render_rows_total(self, value):
        return intcomma(value)

    def render_user(self, value):
        return value.get_full_name() or value.username

    def render_outcome(self, record):
        counts = record.counts.get("result") or record.counts.get("preview")
        if not counts:
            return "–"
        text = _("%(hc)s KK baru, %(hu)s KK diubah, %(mc)s anggota baru, %(errors)s kesalahan") % {
            "hc": intcomma(counts["households_created"]),
            "hu": intcomma(counts["households_updated"]),
            "mc": intcomma(counts["members_created"]),
            "errors": intcomma(counts["errors"]),
        }
        if "result" not in record.counts:
            text = _("Pratinjau: %(text)s") % {"text": text}
        return text

    def render_error_report(self, record):
        if not record.error_report:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("households:import_error_report", args=[record.pk]),
            _("Unduh .xlsx"),
        )


class ImportIssueTable(tables.Table):
    row = tables.Column(attrs=NUMERIC)
    level = StatusBadgeColumn(
        {IssueLevel.ERROR: "badge-error"}, default_badge="badge-warn", field="level"
    )

    class Meta:
        model = ImportIssue
        fields = ("row", "column", "level", "no_kk", "message")
        attrs = {"class": "table"}
        orderable = False
        empty_text = _("Tidak ada catatan yang cocok dengan filter.")

    def render_row(self, value):
        return value or "–"
