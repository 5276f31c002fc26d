"""The FilterSets of the complaints app: the complaint list (also the patterns page and the
export) and the category list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.choices import Channel, ComplaintStatus, EscalationLevel, SlaState
from complaints.models import Category, Complaint
from complaints.models.complaints import parse_ticket
from complaints.services.sla import sla_filter
from programs.filtersets import ALL, RegionFilterForm, RegionFilterMixin

MINE = "saya"
UNASSIGNED = "belum"

SLA_CHOICES = [
    (SlaState.ON_TRACK.value, SlaState.ON_TRACK.label),
    (SlaState.AT_RISK.value, SlaState.AT_RISK.label),
    (SlaState.OVERDUE.value, SlaState.OVERDUE.label),
    ("done", _("Sudah selesai")),
]


def visible_categories(request):
    return Category.objects.order_by("order", "name")


def assignee_choices(request):
    from complaints.services.officers import with_permission
    from core.scope import area_of

    choices = [(MINE, _("Saya")), (UNASSIGNED, _("Belum ditugaskan"))]
    if request is None:
        return choices
    area = area_of(request.user)
    if area is None:
        return choices
    officers = with_permission("change_complaint")
    if area:
        officers = officers.filter(
            Q(profile__area_code=area) | Q(profile__area_code__startswith=area + ".")
        )
    officers = officers.distinct().order_by("first_name", "username")
    return choices + [(str(u.pk), u.get_full_name() or u.username) for u in officers]


class ComplaintFilterSet(RegionFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ComplaintStatus.choices, empty_label=ALL
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=visible_categories, empty_label=ALL
    )
    sla = django_filters.ChoiceFilter(
        label=_("Batas waktu"), choices=SLA_CHOICES, empty_label=ALL, method="filter_sla"
    )
    petugas = django_filters.ChoiceFilter(
        label=_("Petugas"), choices=[], empty_label=ALL, method="filter_assignee"
    )
    channel = django_filters.ChoiceFilter(
        label=_("Saluran"), choices=Channel.choices, empty_label=ALL
    )
    eskalasi = django_filters.ChoiceFilter(
        label=_("Eskalasi"),
        field_name="escalation_level",
        choices=EscalationLevel.choices,
        empty_label=ALL,
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Complaint
        form = RegionFilterForm
        fields = [
            "q",
            "status",
            "category",
            "sla",
            "petugas",
            "channel",
            "eskalasi",
            "kecamatan",
            "desa",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["petugas"].extra["choices"] = assignee_choices(self.request)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        ticket = parse_ticket(value)
        if ticket is not None:
            return queryset.filter(pk=ticket[1])
        digits = "".join(value.split())
        if digits.isdigit() and len(digits) == 16:
            return queryset.filter(Q(nik=digits) | Q(no_kk=digits))
        if value.startswith("#") and value[1:].isdigit():
            return queryset.filter(pk=int(value[1:]))
        return queryset.filter(
            Q(description__icontains=value) | Q(complainant_name__icontains=value)
        )

    def filter_sla(self, queryset, name, value):
        if not value:
            return queryset
        from core.scope import area_of

        return queryset.filter(sla_filter(value, area=area_of(self.request.user) or ""))

    def filter_assignee(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(assignee=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value) if value.isdigit() else queryset
