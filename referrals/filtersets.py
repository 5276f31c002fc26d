import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Household
from households.services.registry import search_by_name
from programs.filtersets import RegionFilterForm, RegionFilterMixin
from programs.models import Agency
from referrals.choices import OPEN_STATUSES, Channel, Need, ReferralStatus
from referrals.models import Intake, Referral, ServicePoint


def _search_widget(placeholder):
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class ReferralFilterSet(RegionFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="search",
        widget=_search_widget(_("Nomor rujukan atau nama warga")),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Masih berjalan")), *ReferralStatus.choices],
        empty_label=_("— semua —"),
        method="filter_status",
    )
    need = django_filters.ChoiceFilter(
        label=_("Kebutuhan"),
        field_name="need__need",
        choices=Need.choices,
        empty_label=_("— semua —"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("OPD/lembaga"), queryset=Agency.objects.none(), empty_label=_("— semua —")
    )
    service_point = django_filters.ModelChoiceFilter(
        label=_("Puskesos"),
        field_name="service_point",
        queryset=ServicePoint.objects.none(),
        empty_label=_("— semua —"),
    )
    terlambat = django_filters.BooleanFilter(
        label=_("Hanya yang terlambat"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Referral
        form = RegionFilterForm
        fields = ["q", "status", "need", "agency", "service_point", "terlambat"]

    @property
    def form(self):
        form = super().form
        user = self.request.user if self.request else None
        form.fields["agency"].queryset = Agency.objects.for_user(user).order_by("name")
        form.fields["service_point"].queryset = ServicePoint.objects.for_user(user).order_by("name")
        return form

    def search(self, queryset, name, value):
        """A reference (``RJK/…`` or its last digits), else a name: registered residents by the
        registry's trigram name search, unregistered ones by the name recorded at intake."""
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            # The last part of a reference is the referral's number.
            return queryset.filter(pk=int(value)) if len(value) <= 12 else queryset.none()
        if "/" in value:
            return queryset.filter(reference__startswith=value.upper())
        user = self.request.user if self.request else None
        households = search_by_name(Household.objects.for_user(user), value).queryset
        return queryset.filter(
            Q(household__in=households.values("pk"))
            | Q(household__isnull=True, intake__person_name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset


class IntakeFilterSet(RegionFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"), method="search", widget=_search_widget(_("Nama warga"))
    )
    service_point = django_filters.ModelChoiceFilter(
        label=_("Puskesos"), queryset=ServicePoint.objects.none(), empty_label=_("— semua —")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Cara datang"), choices=Channel.choices, empty_label=_("— semua —")
    )
    need = django_filters.ChoiceFilter(
        label=_("Kebutuhan"),
        field_name="needs__need",
        choices=Need.choices,
        empty_label=_("— semua —"),
        distinct=True,
    )
    unregistered = django_filters.BooleanFilter(
        label=_("Hanya warga belum terdaftar"),
        method="filter_unregistered",
        widget=forms.CheckboxInput,
    )
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")

    class Meta:
        model = Intake
        form = RegionFilterForm
        fields = ["q", "service_point", "channel", "need", "unregistered"]

    @property
    def form(self):
        form = super().form
        form.fields["service_point"].queryset = ServicePoint.objects.for_user(
            self.request.user if self.request else None
        ).order_by("name")
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(member__nama__icontains=value) | Q(person_name__icontains=value))

    def filter_unregistered(self, queryset, name, value):
        return queryset.filter(member__isnull=True) if value else queryset


class InboxFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Masih berjalan")), *ReferralStatus.choices],
        empty_label=_("— semua —"),
        method="filter_status",
    )
    need = django_filters.ChoiceFilter(
        label=_("Kebutuhan"),
        field_name="need__need",
        choices=Need.choices,
        empty_label=_("— semua —"),
    )

    class Meta:
        model = Referral
        fields = ["status", "need"]

    filter_status = ReferralFilterSet.filter_status


class ServicePointFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"), field_name="name", lookup_expr="icontains", widget=_search_widget("")
    )

    class Meta:
        model = ServicePoint
        fields = ["q", "active"]
