"""Forms of the duplicate queue: choose the record to keep, or say why it is not a duplicate."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(label=_("Data yang dipertahankan"), coerce=int)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (member.pk, f"{member.nama} ({member.household.registry_id})")
            for member in (candidate.member_a, candidate.member_b)
            if member is not None
        ]


class DismissForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("mis. kembar, orang berbeda")}),
    )
