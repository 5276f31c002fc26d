"""Forms of the graduation app: the proposal (with its files), a status step, a monitoring
visit, a facilitator, a yearly target and the two ways of assigning households."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import staff_accounts
from core.evidence import EVIDENCE_ACCEPT, validate_evidence
from core.widgets import BlankChoiceMixin
from graduation.choices import READINESS_FIELDS, GraduationKind
from graduation.models import Facilitator, Graduation, GraduationTarget, MonitoringVisit
from households.forms.registry import DateInput
from programs.choices import BeneficiaryUnit, ProgramKind
from programs.models import Program

MAX_EVIDENCE_FILES = 5


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def empowerment_programs(user):
    return (
        Program.objects.for_user(user)
        .filter(active=True, kind=ProgramKind.EMPOWERMENT)
        .exclude(beneficiary_unit=BeneficiaryUnit.MEMBER)
        .order_by("code")
    )


class GraduationForm(BlankChoiceMixin, forms.ModelForm):
    next_program = ProgramChoiceField(
        label=_("Program pemberdayaan berikutnya"),
        queryset=Program.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Diusulkan sebagai kepesertaan baru saat graduasi disetujui."),
    )
    evidence = MultipleFileField(
        label=_("Bukti pendukung (foto usaha, berita acara)"),
        required=False,
        help_text=_("PDF, JPG atau PNG; boleh beberapa file."),
    )

    class Meta:
        model = Graduation
        fields = [
            "kind",
            "graduation_date",
            "reasons",
            *READINESS_FIELDS,
            "readiness_notes",
            "statement",
            "next_program",
        ]
        widgets = {
            "graduation_date": DateInput,
            "reasons": forms.Textarea(attrs={"rows": 3}),
            "readiness_notes": forms.Textarea(attrs={"rows": 3}),
            "statement": forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        }
        help_texts = {
            "statement": _("Wajib untuk graduasi sejahtera mandiri: PDF, JPG atau PNG."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_program"].queryset = empowerment_programs(user)
        self.fields["graduation_date"].initial = timezone.localdate()

    def clean_graduation_date(self):
        value = self.cleaned_data["graduation_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal graduasi tidak boleh di masa depan."))
        return value

    def clean_statement(self):
        upload = self.cleaned_data.get("statement")
        return validate_evidence(upload) if upload else upload

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                _("Paling banyak %(n)s file bukti.") % {"n": MAX_EVIDENCE_FILES}
            )
        return [validate_evidence(upload) for upload in files]

    def clean(self):
        data = super().clean()
        if data.get("kind") == GraduationKind.SELF_RELIANT and not data.get("statement"):
            self.add_error(
                "statement",
                _("Graduasi sejahtera mandiri memerlukan surat pernyataan yang ditandatangani."),
            )
        return data

    def readiness(self) -> dict:
        return {name: self.cleaned_data.get(name, False) for name in READINESS_FIELDS}


class StepForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class VisitForm(forms.ModelForm):
    still_self_reliant = forms.TypedChoiceField(
        label=_("Masih mandiri?"),
        choices=[("", "—"), ("true", _("Ya")), ("false", _("Tidak"))],
        coerce=lambda value: value == "true",
    )

    class Meta:
        model = MonitoringVisit
        fields = ["visited_on", "still_self_reliant", "income_source", "needs"]
        widgets = {"visited_on": DateInput, "needs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].required = True
        if not self.initial.get("visited_on"):
            self.initial["visited_on"] = timezone.localdate()
        if self.instance.still_self_reliant is not None:
            self.initial["still_self_reliant"] = (
                "true" if self.instance.still_self_reliant else "false"
            )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        profile = obj.profile
        name = obj.get_full_name() or obj.username
        return f"{name} · {profile.get_role_display()} · {profile.area_code}"


class FacilitatorForm(BlankChoiceMixin, forms.ModelForm):
    user = StaffChoiceField(label=_("Akun petugas"), queryset=None, empty_label="—")

    class Meta:
        model = Facilitator
        fields = ["user", "kind", "active"]
        help_texts = {"kind": _("Wilayah tugas mengikuti wilayah kerja akun petugas.")}

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = staff_accounts().for_user(editor).filter(is_active=True)
        if self.instance.pk:
            self.fields["user"].queryset = accounts.filter(pk=self.instance.user_id)
            self.fields["user"].disabled = True
        else:
            self.fields["user"].queryset = accounts.filter(facilitator__isnull=True).order_by(
                "username"
            )

    def save(self, commit=True):
        self.instance.area_id = self.cleaned_data["user"].profile.area_code
        return super().save(commit)


class TargetForm(forms.ModelForm):
    class Meta:
        model = GraduationTarget
        fields = ["year", "target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_kind_display()} · {obj.area_id}"


class AssignBulkForm(forms.Form):
    facilitator = FacilitatorChoiceField(
        label=_("Pendamping"), queryset=Facilitator.objects.none(), empty_label="—"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = (
            Facilitator.objects.for_user(user).filter(active=True).select_related("user")
        )


class AssignFileForm(AssignBulkForm):
    file = forms.FileField(
        label=_("Daftar No. KK / ID registri (.xlsx atau .csv)"),
        help_text=_("Kolom pertama: No. KK (16 angka) atau ID registri (KLG-0000123)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
