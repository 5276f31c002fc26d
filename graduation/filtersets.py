"""The FilterSets of the graduation app, one per list: graduations, facilitators, monitoring
visits and a caseload."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from graduation.choices import FacilitatorKind, GraduationKind, GraduationStatus, MonitoringRound
from graduation.models import Facilitator, Graduation, MonitoringVisit
from households.filtersets import HouseholdFilterForm
from households.models import Household
from households.services.registry import search_by_name, search_by_number
from programs.filtersets import RegionFilterForm, RegionFilterMixin

ALL = _("— semua —")
SEARCH = forms.TextInput(attrs={"type": "search", "placeholder": _("NIK, No. KK atau nama")})


class SearchFilterForm(RegionFilterForm):
    clean_q = HouseholdFilterForm.clean_q


class HouseholdSearchMixin(RegionFilterMixin):
    """``q``: NIK, No KK or a member's name, among the user's households."""

    household_lookup = "household"

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        kind, text = value
        households = Household.objects.for_user(self.request.user if self.request else None)
        if kind == "number":
            found = search_by_number(households, text)
        else:
            found = search_by_name(households, text).queryset
        return queryset.filter(**{f"{self.household_lookup}__in": found.values("pk")})


def facilitators_named(text: str):
    return Facilitator.objects.filter(
        Q(user__username__icontains=text)
        | Q(user__first_name__icontains=text)
        | Q(user__last_name__icontains=text)
    ).values("pk")


class GraduationFilterSet(HouseholdSearchMixin, django_filters.FilterSet):
    desa_lookup = "household__desa__code"
    q = django_filters.CharFilter(label=_("Cari"), method="filter_q", widget=SEARCH)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=GraduationStatus.choices, empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=GraduationKind.choices, empty_label=ALL
    )
    year = django_filters.NumberFilter(
        label=_("Tahun"), field_name="graduation_date", lookup_expr="year"
    )
    # A name, not a select: a district has some 1,500 facilitators.
    facilitator = django_filters.CharFilter(label=_("Pendamping"), method="filter_facilitator")
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Graduation
        form = SearchFilterForm
        fields = []

    def filter_facilitator(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(facilitator__in=facilitators_named(value))


class FacilitatorFilterSet(RegionFilterMixin, django_filters.FilterSet):
    desa_lookup = "area__code"
    q = django_filters.CharFilter(label=_("Cari nama"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=FacilitatorKind.choices, empty_label=ALL
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Facilitator
        form = RegionFilterForm
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(pk__in=facilitators_named(value)) if value else queryset

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(Q(area__code=value) | Q(area__code__startswith=value + "."))


DUE_CHOICES = [
    ("open", _("Belum dikunjungi")),
    ("overdue", _("Lewat jatuh tempo")),
    ("done", _("Sudah dikunjungi")),
]


class VisitFilterSet(HouseholdSearchMixin, django_filters.FilterSet):
    desa_lookup = "graduation__household__desa__code"
    household_lookup = "graduation__household"
    q = django_filters.CharFilter(label=_("Cari"), method="filter_q", widget=SEARCH)
    state = django_filters.ChoiceFilter(
        label=_("Keadaan"), choices=DUE_CHOICES, empty_label=ALL, method="filter_state"
    )
    round = django_filters.ChoiceFilter(
        label=_("Pemantauan"), choices=MonitoringRound.choices, empty_label=ALL
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = MonitoringVisit
        form = SearchFilterForm
        fields = []

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(visited_on__isnull=True)
        if value == "overdue":
            return queryset.filter(visited_on__isnull=True, due_on__lt=timezone.localdate())
        if value == "done":
            return queryset.filter(visited_on__isnull=False)
        return queryset


class CaseloadFilterSet(HouseholdSearchMixin, django_filters.FilterSet):
    household_lookup = "pk"
    q = django_filters.CharFilter(label=_("Cari"), method="filter_q", widget=SEARCH)
    candidate = django_filters.ChoiceFilter(
        label=_("Kandidat graduasi alamiah"),
        choices=[("true", _("Ya")), ("false", _("Tidak"))],
        empty_label=ALL,
        method="filter_candidate",
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Household
        form = SearchFilterForm
        fields = []

    def filter_candidate(self, queryset, name, value):
        if value in ("true", "false"):
            return queryset.filter(graduation_candidate__isnull=value == "false")
        return queryset
