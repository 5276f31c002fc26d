"""Forms of the empowerment groups: the group, adding a member, a member leaving, progress."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.widgets import BlankChoiceMixin, RegionFieldsMixin
from households.forms.registry import DateInput
from households.nik import clean_number
from programs.models import EmpowermentGroup, GroupProgress, Program


class GroupForm(RegionFieldsMixin, BlankChoiceMixin, forms.ModelForm):
    region_required = True

    class Meta:
        model = EmpowermentGroup
        fields = ["name", "program", "business_type", "capital_aid", "formed_on", "active"]
        widgets = {"formed_on": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields(user, initial_desa=self.instance.desa_id or None)
        self.fields["program"].queryset = Program.objects.for_user(user).filter(active=True)
        self.fields["program"].empty_label = "—"
        self.fields["capital_aid"].max_value = 10_000_000_000
        self.order_fields(["name", "kecamatan", "desa", "program", "business_type"])

    def clean(self):
        cleaned = self.clean_region_pair(super().clean())
        if cleaned.get("desa"):
            self.instance.desa = Region.objects.get(code=cleaned["desa"])
        return cleaned


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nama} · {obj.household.registry_id}"


class GroupMemberForm(forms.Form):
    """A new member, typed by NIK or picked from the people of the group's desa."""

    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
    )
    member = MemberChoiceField(
        label=_("atau pilih warga desa"), queryset=None, required=False, empty_label="—"
    )
    joined_on = forms.DateField(label=_("Tanggal bergabung"), required=False, widget=DateInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates

    def clean_nik(self):
        text = (self.cleaned_data.get("nik") or "").strip()
        if not text:
            return ""
        number, error = clean_number(text, _("NIK"))
        if error:
            raise forms.ValidationError(error)
        return number

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("nik") and not cleaned.get("member") and not self.errors:
            raise forms.ValidationError(_("Isi NIK atau pilih warga."))
        return cleaned


class EndMembershipForm(forms.Form):
    left_on = forms.DateField(label=_("Tanggal keluar"), required=False, widget=DateInput)


class GroupProgressForm(forms.ModelForm):
    class Meta:
        model = GroupProgress
        fields = ["recorded_on", "is_active", "monthly_turnover", "members_income", "notes"]
        widgets = {"recorded_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("monthly_turnover", "members_income"):
            self.fields[name].max_value = 10_000_000_000
