from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import RegionFieldsMixin
from programs.forms.enrolments import ProgramChoiceField
from programs.models import Program


class SynergyFilterForm(RegionFieldsMixin, forms.Form):
    """Program, year and kecamatan → desa of the synergy pages (all optional)."""

    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label="—"
    )
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.for_user(user).order_by("code")
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year + 1, this_year - 6, -1)]
        self.fields["year"].initial = this_year
        self.add_region_fields(user)

    def clean(self):
        return self.clean_region_pair(super().clean())

    def region(self) -> str:
        """The chosen desa or kecamatan code ("" for the whole area)."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("desa") or data.get("kecamatan") or ""

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None
