"""The FilterSets of the programs app, one per list (also used by their exports)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import RegionFieldsMixin
from households.filtersets import HouseholdFilterForm
from households.models import Household
from households.services.registry import search_by_name, search_by_number
from programs.choices import EligibilityIssue, EnrolmentSource, EnrolmentStatus
from programs.models import Enrolment, Program


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
