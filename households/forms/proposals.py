"""What every data-update proposal form shares: the common part of a proposal (reason and
evidence file), the rejection note, and the base and helpers of the per-kind change forms in
``households.forms.updates``."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.evidence import EVIDENCE_ACCEPT, validate_evidence
from core.widgets import BlankChoiceMixin, RegionPicker
from households.choices import HouseholdStatus, MemberStatus
from households.models import Household, Member
from households.nik import check_no_kk

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WIDGETS = {
    "tanggal_lahir": DATE_WIDGET,
    "alamat": forms.TextInput(),
}


class ProposalForm(forms.Form):
    """What every proposal carries: why, and the berita acara that shows it."""

    reason = forms.CharField(
        label=_("Alasan/keterangan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Jelaskan apa yang berubah dan dasar usulannya."),
    )
    evidence = forms.FileField(
        label=_("Bukti (berita acara musyawarah desa)"),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("PDF, JPG atau PNG, maksimal %(limit)s MB.") % {
            "limit": settings.EVIDENCE_MAX_UPLOAD_MB
        }

    def clean_evidence(self):
        return validate_evidence(self.cleaned_data["evidence"])


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


# Helpers ---------------------------------------------------------------------------------------


def desa_choices(user=None, within: str | None = None):
    """Desa grouped by kecamatan for a select: those in the user's area, or in ``within``."""
    return [("", "---------"), *RegionPicker(user).desa_groups(within)]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.nama} · {member.get_hubungan_keluarga_display()}"


def no_kk_error(raw, household_id=None) -> tuple[str | None, str | None]:
    result = check_no_kk(raw)
    if not result.ok:
        return None, result.errors[0]
    taken = Household.objects.filter(no_kk=result.value, status=HouseholdStatus.ACTIVE).exclude(
        pk=household_id
    )
    if taken.exists():
        return None, _("No. KK ini sudah dipakai keluarga aktif lain.")
    return result.value, None


def not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(
            _("%(label)s tidak boleh di masa depan.") % {"label": label}, code="future"
        )


class ChangeForm(BlankChoiceMixin, forms.Form):
    """Base of the per-kind forms: knows the household and the proposing user. Each kind's form
    adds ``proposal() -> (member or None, payload)``, which the kind's spec in
    ``households.update_kinds`` turns into a data update."""

    template_name = "households/updates/forms/fields.html"

    def __init__(self, *args, household=None, user=None, member=None, **kwargs):
        self.household = household
        self.user = user
        self.member = member
        self.warnings: list[str] = []
        super().__init__(*args, **kwargs)

    def alive_members(self):
        return Member.objects.filter(household=self.household, status=MemberStatus.ALIVE).order_by(
            "hubungan_keluarga", "tanggal_lahir"
        )
