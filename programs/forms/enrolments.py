from django import forms
from django.utils.translation import gettext_lazy as _

from programs.choices import BeneficiaryUnit
from programs.models import Program


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


def program_choices(user):
    """Active programs a household or member can be enrolled in one by one (group programs
    enrol through their groups)."""
    return (
        Program.objects.for_user(user)
        .filter(active=True)
        .exclude(beneficiary_unit=BeneficiaryUnit.GROUP)
        .order_by("code")
    )


class EnrolForm(forms.Form):
    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label="—"
    )
    member = forms.ChoiceField(
        label=_("Anggota (untuk program per anggota)"), required=False, choices=()
    )
    reason = forms.CharField(label=_("Keterangan"), required=False, max_length=500)
    justification = forms.CharField(
        label=_("Justifikasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila keluarga tidak sesuai aturan program (misalnya SK penetapan)."),
    )
    activate = forms.BooleanField(label=_("Langsung aktif (tanpa tahap usulan)"), required=False)

    def __init__(self, *args, user, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["program"].queryset = program_choices(user)
        self.members = {
            str(m.pk): m
            for m in household.members.filter(status="alive").order_by("hubungan_keluarga")
        }
        self.fields["member"].choices = [("", "—")] + [
            (pk, f"{m.nama} ({m.get_hubungan_keluarga_display()})")
            for pk, m in self.members.items()
        ]
        if not user.has_perm("programs.manage_enrolment"):
            del self.fields["activate"]

    def clean_member(self):
        value = self.cleaned_data.get("member")
        return self.members.get(value) if value else None


class BulkEnrolForm(forms.Form):
    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label="—"
    )
    reason = forms.CharField(label=_("Keterangan"), required=False, max_length=500)
    justification = forms.CharField(
        label=_("Justifikasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila ada keluarga yang tidak sesuai aturan program."),
    )
    activate = forms.BooleanField(label=_("Langsung aktif (tanpa tahap usulan)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = program_choices(user).exclude(
            beneficiary_unit=BeneficiaryUnit.MEMBER
        )
        if not user.has_perm("programs.manage_enrolment"):
            del self.fields["activate"]


class StatusChangeForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
