"""The FilterSets of the programs app, one per list: the program catalogue, agencies,
empowerment groups and disbursements."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import RegionFieldsMixin
from households.filtersets import HouseholdFilterForm
from households.models import Household
from households.services.registry import search_by_name, search_by_number
from programs.choices import (
    AgencyKind,
    Cluster,
    DisbursementChannel,
    DisbursementStatus,
    EligibilityIssue,
    EnrolmentSource,
    EnrolmentStatus,
    FundingSource,
    ProgramKind,
)
from programs.models import Agency, Disbursement, EmpowermentGroup, Enrolment, Program

ALL = _("— semua —")
YES_NO = [("true", _("Ya")), ("false", _("Tidak"))]


def visible_agencies(request):
    if request is None:
        return Agency.objects.none()
    return Agency.objects.for_user(request.user).order_by("name")


def visible_programs(request):
    if request is None:
        return Program.objects.none()
    return Program.objects.for_user(request.user).order_by("code")


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no select ("— semua —", Ya, Tidak) on a boolean field or annotation."""

    def __init__(self, **kwargs):
        super().__init__(choices=YES_NO, empty_label=ALL, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


class ProgramFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=ProgramKind.choices, empty_label=ALL
    )
    cluster = django_filters.ChoiceFilter(
        label=_("Klaster"), choices=Cluster.choices, empty_label=ALL
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("OPD/lembaga"), queryset=visible_agencies, empty_label=ALL
    )
    funding_source = django_filters.ChoiceFilter(
        label=_("Sumber dana"), choices=FundingSource.choices, empty_label=ALL
    )
    active = YesNoFilter(label=_("Aktif"), field_name="active")

    class Meta:
        model = Program
        fields = ["q", "kind", "cluster", "agency", "funding_source", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class AgencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=AgencyKind.choices, empty_label=ALL
    )
    cluster = django_filters.ChoiceFilter(
        label=_("Klaster"), choices=Cluster.choices, empty_label=ALL
    )
    active = YesNoFilter(label=_("Aktif"), field_name="active")

    class Meta:
        model = Agency
        fields = ["q", "kind", "cluster", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class RegionFilterForm(RegionFieldsMixin, forms.Form):
    def clean(self):
        return self.clean_region_pair(super().clean())


class RegionFilterMixin:
    """The kecamatan → desa picker of the user's area; ``desa_lookup`` is the path from the
    model to its desa code."""

    desa_lookup = "desa__code"

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.add_region_fields(self.request.user if self.request else None)
        return self._form

    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(**{f"{self.desa_lookup}__startswith": value + "."})

    def filter_desa(self, queryset, name, value):
        return queryset.filter(**{self.desa_lookup: value})


class EmpowermentGroupFilterSet(RegionFilterMixin, django_filters.FilterSet):
    """Over a queryset annotated by ``programs.services.groups.with_productivity``."""

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=visible_programs, empty_label=ALL
    )
    active = YesNoFilter(label=_("Aktif"), field_name="active")
    productive = YesNoFilter(label=_("Produktif"), field_name="is_productive")

    class Meta:
        model = EmpowermentGroup
        form = RegionFilterForm
        fields = ["q", "kecamatan", "desa", "program", "active", "productive"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(business_type__icontains=value))


def year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, this_year - 6, -1)]


class DisbursementFilterSet(RegionFilterMixin, django_filters.FilterSet):
    desa_lookup = "enrolment__household__desa__code"

    program = django_filters.ModelChoiceFilter(
        label=_("Program"),
        field_name="enrolment__program",
        queryset=visible_programs,
        empty_label=ALL,
    )
    year = django_filters.ChoiceFilter(label=_("Tahun"), choices=year_choices, empty_label=ALL)
    period = django_filters.ChoiceFilter(
        label=_("Tahap"), choices=[(n, str(n)) for n in range(1, 13)], empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DisbursementStatus.choices, empty_label=ALL
    )
    channel = django_filters.ChoiceFilter(
        label=_("Saluran"), choices=DisbursementChannel.choices, empty_label=ALL
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Disbursement
        form = RegionFilterForm
        fields = ["program", "year", "period", "status", "channel", "kecamatan", "desa"]


class EnrolmentFilterForm(RegionFieldsMixin, forms.Form):
    clean_q = HouseholdFilterForm.clean_q

    def clean(self):
        return self.clean_region_pair(super().clean())


class EnrolmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("NIK, No. KK atau nama")}),
    )
    program = django_filters.ModelChoiceFilter(
        label=_("Program"),
        queryset=Program.objects.order_by("code"),
        empty_label=_("— semua —"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EnrolmentStatus.choices, empty_label=_("— semua —")
    )
    source = django_filters.ChoiceFilter(
        label=_("Sumber"), choices=EnrolmentSource.choices, empty_label=_("— semua —")
    )
    cluster = django_filters.ChoiceFilter(
        label=_("Klaster"),
        field_name="program__cluster",
        choices=Cluster.choices,
        empty_label=_("— semua —"),
    )
    flag = django_filters.ChoiceFilter(
        label=_("Catatan kelayakan"),
        choices=[("any", _("Ada catatan apa pun")), *EligibilityIssue.choices],
        empty_label=_("— semua —"),
        method="filter_flag",
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Enrolment
        form = EnrolmentFilterForm
        fields = []

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.add_region_fields(self.request.user if self.request else None)
            if self.request is not None:
                form.fields["program"].queryset = Program.objects.for_user(
                    self.request.user
                ).order_by("code")
        return self._form

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        kind, text = value
        # Searched among the user's households, so that a common name's best matches are theirs.
        households = Household.objects.for_user(self.request.user if self.request else None)
        if kind == "number":
            return queryset.filter(household__in=search_by_number(households, text))
        return queryset.filter(household__in=search_by_name(households, text).queryset)

    def filter_flag(self, queryset, name, value):
        if value == "any":
            return queryset.exclude(flags=[])
        return queryset.filter(flags__contains=[value])

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(household__desa__code__startswith=value + ".") if value else queryset

    def filter_desa(self, queryset, name, value):
        return queryset.filter(household__desa_id=value) if value else queryset
