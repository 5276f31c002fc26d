"""Forms for direct corrections of the registry by the office (Admin Dinas)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.widgets import BlankChoiceMixin, RegionFieldsMixin
from households.field_groups import (
    ADDRESS_FIELDS,
    BENEFIT_FIELDS,
    HOUSING_FIELDS,
    MEMBER_DATA_FIELDS,
)
from households.models import Household, Member
from households.nik import check_no_kk


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class VersionedForm(BlankChoiceMixin, forms.ModelForm):
    """Carries the version the user saw, for optimistic locking in the service."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class HouseholdForm(RegionFieldsMixin, VersionedForm):
    region_required = True

    class Meta:
        model = Household
        fields = [
            "no_kk",
            *ADDRESS_FIELDS,
            "desil",
            "status",
            "last_verified",
            "data_source",
            *HOUSING_FIELDS,
            *BENEFIT_FIELDS,
        ]
        widgets = {
            "last_verified": DateInput,
            "no_kk": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields(user, initial_desa=self.instance.desa_id or None)
        self.fields["desil"].min_value = 1
        self.fields["desil"].max_value = 10
        self.fields["desil"].widget.attrs.update({"min": 1, "max": 10})
        self.fields["desil"].validators += [
            validator
            for validator in Household._meta.get_field("desil").validators
            if validator not in self.fields["desil"].validators
        ]
        # The picker belongs next to the address, not at the end of the form.
        order = ["no_kk", "kecamatan", "desa", *self.Meta.fields[1:], "version"]
        self.order_fields(order)

    def clean_no_kk(self):
        checked = check_no_kk(self.cleaned_data.get("no_kk"))
        if checked.errors:
            raise forms.ValidationError(checked.errors)
        return checked.value

    def clean(self):
        cleaned = self.clean_region_pair(super().clean())
        if cleaned.get("desa"):
            cleaned["desa"] = Region.objects.get(code=cleaned["desa"])
        return cleaned

    def registry_data(self) -> dict:
        """The household fields for ``update_household`` (without the picker and version)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["desa"] = self.cleaned_data["desa"]
        return data

    def _post_clean(self):
        # The service saves; the model's own validation would reject the picker's desa code.
        pass


class MemberForm(VersionedForm):
    class Meta:
        model = Member
        fields = [*MEMBER_DATA_FIELDS, "status"]
        widgets = {
            "tanggal_lahir": DateInput,
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
        }
        help_texts = {
            "nik": _("16 angka. Kosongkan untuk orang tanpa dokumen kependudukan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # A new member has no version yet; the household's lock protects the family.
            del self.fields["version"]
        # The NIK check service validates the number (and explains spreadsheet damage); the
        # model's 16-digit validator would only repeat it less clearly.
        self.fields["nik"].validators = []
        self.fields["nik"].max_length = None
        self.fields["nik"].widget.attrs.pop("maxlength", None)

    def clean_tanggal_lahir(self):
        born = self.cleaned_data["tanggal_lahir"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        if born < datetime.date(1900, 1, 1):
            raise forms.ValidationError(_("Tanggal lahir sebelum tahun 1900 tidak mungkin."))
        return born

    def registry_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # Uniqueness and the NIK rules are the service's job (one place for forms and imports).
        pass
