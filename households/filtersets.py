"""The FilterSets of the households app, one per list: the registry list (also used by its
exports and reports), the export log, the proposal queues, the duplicate queue, the import
history and an import's issues."""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.regions import normalise_code
from core.search import search_data
from core.widgets import RegionFieldsMixin
from households.choices import ExportFormat, HouseholdStatus, NikFlag
from households.models import (
    DataUpdate,
    DuplicateCandidate,
    ExportLog,
    Household,
    ImportIssue,
    ImportJob,
)
from households.models.imports import ImportStatus, IssueLevel
from households.models.updates import DuplicateReason, DuplicateStatus, UpdateKind, UpdateStatus
from households.nik import clean_number
from households.services.registry import (
    households_with,
    households_with_nik_flag,
    search_by_name,
    search_by_number,
)

# Input that is meant as a number (NIK or No KK), including what spreadsheets make of one.
_NUMBER_LIKE = re.compile(r"^[\d\s.,'eE+\-]+$")
MIN_NAME_LENGTH = 3
ANY_NIK_FLAG = "any"


class HouseholdFilterForm(RegionFieldsMixin, forms.Form):
    def clean_q(self):
        text = " ".join((self.cleaned_data.get("q") or "").split())
        if not text:
            return None
        if _NUMBER_LIKE.match(text) and any(ch.isdigit() for ch in text):
            number, error = clean_number(text, _("NIK/No. KK"))
            if error:
                raise forms.ValidationError(error)
            return ("number", number)
        if len(text) < MIN_NAME_LENGTH:
            raise forms.ValidationError(
                _("Ketik minimal %(n)d huruf nama, atau 16 angka NIK/No. KK.")
                % {"n": MIN_NAME_LENGTH}
            )
        return ("name", text)

    def clean(self):
        return self.clean_region_pair(super().clean())


class FlagFilter(django_filters.BooleanFilter):
    """A checkbox: when ticked, households with at least one living member with the flag."""

    field_class = forms.BooleanField

    def __init__(self, flag_key, **kwargs):
        self.flag_key = flag_key
        super().__init__(widget=forms.CheckboxInput, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(households_with(self.flag_key, timezone.localdate()))


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("NIK, No. KK atau nama"), "autofocus": True}
        ),
    )
    # The form replaces these two with the kecamatan → desa picker of the user's area.
    kecamatan = django_filters.CharFilter(label=_("Kecamatan"), method="filter_kecamatan")
    desa = django_filters.CharFilter(label=_("Desa/kelurahan"), method="filter_desa")
    desil = django_filters.ChoiceFilter(
        label=_("Desil"),
        choices=[(n, _("Desil %(n)d") % {"n": n}) for n in range(1, 11)],
        empty_label=_("— semua —"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=HouseholdStatus.choices, empty_label=_("— semua —")
    )
    nik = django_filters.ChoiceFilter(
        label=_("Catatan NIK"),
        choices=[(ANY_NIK_FLAG, _("Ada catatan apa pun")), *NikFlag.choices],
        empty_label=_("— semua —"),
        method="filter_nik",
    )
    verifikasi = django_filters.ChoiceFilter(
        label=_("Verifikasi"),
        choices=[("lama", _("Belum diverifikasi lebih dari 1 tahun"))],
        empty_label=_("— semua —"),
        method="filter_verification",
    )
    disabilitas = FlagFilter("disabilitas", label=_("Ada penyandang disabilitas"))
    lansia = FlagFilter("lansia", label=_("Ada lansia 60+"))
    balita = FlagFilter("balita", label=_("Ada anak di bawah 6 tahun"))
    hamil = FlagFilter("hamil", label=_("Ada ibu hamil"))

    class Meta:
        model = Household
        form = HouseholdFilterForm
        fields = []

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.add_region_fields(self.request.user if self.request else None)
        return self._form

    name_search_capped = False

    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        # The search comes last: a name search ranks the households the other filters kept.
        values = dict(self.form.cleaned_data)
        search = values.pop("q", None)
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        if search:
            queryset = self.filter_q(queryset, "q", search)
        return queryset

    def filter_q(self, queryset, name, value):
        kind, text = value
        if kind == "number":
            return search_by_number(queryset, text)
        found = search_by_name(queryset, text)
        self.name_search_capped = found.capped
        return found.queryset

    def filter_kecamatan(self, queryset, name, value):
        return queryset.filter(desa__code__startswith=value + ".")

    def filter_desa(self, queryset, name, value):
        return queryset.filter(desa_id=value)

    def filter_verification(self, queryset, name, value):
        from households.reports import not_verified_within_a_year

        return queryset.filter(not_verified_within_a_year())

    def filter_nik(self, queryset, name, value):
        if value == ANY_NIK_FLAG:
            return queryset.filter(households_with("nik"))
        return queryset.filter(households_with_nik_flag(value))

    @property
    def searching_by_name(self) -> bool:
        return bool(
            self.is_bound
            and not self.form.errors
            and (self.form.cleaned_data.get("q") or ("",))[0] == "name"
        )


@dataclass
class ListSelection:
    """The households of the registry list's current filter, for the actions on its list
    (enrol in bulk, assign to a facilitator): the filter's own querystring, the bound FilterSet,
    and the households it selects inside the user's area."""

    query: QueryDict
    filter: HouseholdFilterSet
    households: QuerySet

    @property
    def context(self) -> dict:
        return {
            "filter_query": self.query.urlencode(),
            "filter": self.filter,
            "count": self.households.count(),
        }


def list_selection(request, action_fields) -> ListSelection:
    """Read the registry list's filter from ``request.GET``, leaving out the action form's own
    ``action_fields`` and the list's paging and sorting."""
    query = QueryDict(mutable=True)
    for key, values in search_data(request).lists():
        if key not in set(action_fields) | {"page", "per_page", "sort", "csrfmiddlewaretoken"}:
            query.setlist(key, values)
    households = HouseholdFilterSet(
        data=query, queryset=Household.objects.for_user(request.user), request=request
    )
    selected = households.qs if households.is_valid() else Household.objects.none()
    return ListSelection(query, households, selected)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class StaffChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


def exporters(request):
    """Users who have exported inside the request user's area: the choices of the filter."""
    if request is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(pk__in=ExportLog.objects.for_user(request.user).values("user_id"))
        .order_by("first_name", "username")
    )


# A text field, not type=date: the browser would show its own locale's order (mm/dd/yyyy).
DAY_INPUT = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)


class ExportLogFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return cleaned_data


class ExportLogFilterSet(django_filters.FilterSet):
    user = StaffChoiceFilter(
        label=_("Petugas"), queryset=exporters, empty_label=_("— semua petugas —")
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("Dari tanggal"),
        widget=DAY_INPUT,
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("Sampai tanggal"),
        widget=DAY_INPUT,
    )
    file_format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=ExportFormat.choices,
        empty_label=_("— semua format —"),
    )

    class Meta:
        model = ExportLog
        form = ExportLogFilterForm
        fields = []


class DataUpdateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari"))
    kind = django_filters.ChoiceFilter(choices=UpdateKind.choices, label=_("Jenis usulan"))
    status = django_filters.ChoiceFilter(choices=UpdateStatus.choices, label=_("Status"))
    wilayah = django_filters.CharFilter(method="in_region", label=_("Kode wilayah"))

    class Meta:
        model = DataUpdate
        fields = ["q", "kind", "status", "wilayah"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.lstrip("#").isdigit() and len(value.lstrip("#")) < 16:
            return queryset.filter(pk=int(value.lstrip("#")))
        return queryset.filter(
            Q(household__no_kk=value)
            | Q(member__nik=value)
            | Q(member__nama__icontains=value)
            | Q(reason__icontains=value)
        )

    def in_region(self, queryset, name, value):
        # A prefix match on the desa code itself: a lookup such as ``startswith`` is not
        # allowed on the foreign key column (``desa_id``), only on the related code.
        code = normalise_code(value)
        return queryset.filter(Q(desa__code=code) | Q(desa__code__startswith=code + "."))


class DuplicateCandidateFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DuplicateStatus.choices, label=_("Status"), empty_label=_("Semua status")
    )
    reason = django_filters.ChoiceFilter(choices=DuplicateReason.choices, label=_("Alasan"))

    class Meta:
        model = DuplicateCandidate
        fields = ["status", "reason"]


class ImportJobFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama file"))
    status = django_filters.ChoiceFilter(
        choices=ImportStatus.choices, label=_("Status"), empty_label=_("Semua status")
    )

    class Meta:
        model = ImportJob
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(original_name__icontains=value.strip())


class ImportIssueFilterSet(django_filters.FilterSet):
    """Filters of a preview's issue list; the column choices are the columns that have issues,
    counted once when the check finished."""

    level = django_filters.ChoiceFilter(
        choices=IssueLevel.choices, label=_("Tingkat"), empty_label=_("Semua tingkat")
    )
    column = django_filters.ChoiceFilter(label=_("Kolom"), empty_label=_("Semua kolom"))
    q = django_filters.CharFilter(method="search", label=_("Cari"))

    class Meta:
        model = ImportIssue
        fields = ["level", "column", "q"]

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["column"].extra["choices"] = [(column, column) for column in columns]

    def search(self, queryset, name, value):
        value = value.strip()
        # Digits are a row number or the start of a No. KK; anything else searches the messages.
        if value.isdigit():
            condition = Q(no_kk__startswith=value)
            if len(value) <= 9:
                condition |= Q(row=int(value))
            return queryset.filter(condition)
        return queryset.filter(message__icontains=value)
