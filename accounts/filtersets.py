"""The staff filter of the staff list (name, role, area, active)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import picks_by_code
from accounts.roles import Role
from core.widgets import RegionPicker


class StaffFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nama, pengguna, email")}),
    )
    role = django_filters.ChoiceFilter(
        label=_("Peran"),
        field_name="profile__role",
        choices=Role.choices,
        empty_label=_("— semua peran —"),
    )
    area = django_filters.CharFilter(
        label=_("Wilayah kerja"),
        method="filter_area",
        widget=forms.TextInput(attrs={"placeholder": "35.07.01"}),
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("1", _("Aktif")), ("0", _("Nonaktif"))],
        empty_label=_("— semua status —"),
        method="filter_active",
    )

    class Meta:
        model = get_user_model()
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        picker = RegionPicker(user) if user is not None else None
        kecamatan = [] if picker is None or picks_by_code(picker) else picker.kecamatan_choices()
        if len(kecamatan) > 1:
            # A district admin picks a kecamatan; others (a superuser) type a code.
            self.filters["area"].extra["widget"] = forms.Select(
                choices=[("", _("— semua kecamatan —")), *kecamatan]
            )

    def filter_q(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(
            Q(username__icontains=text) | Q(first_name__icontains=text) | Q(email__icontains=text)
        )

    def filter_area(self, queryset, name, value):
        code = value.strip().rstrip(".")
        return queryset.filter(
            Q(profile__area_code=code) | Q(profile__area_code__startswith=code + ".")
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")
