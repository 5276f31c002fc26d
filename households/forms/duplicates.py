"""Forms of the duplicate queue: choose the record to keep, or say why it is not a duplicate."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from households.models import DuplicateCandidate
from households.models.updates import DuplicateReason, DuplicateStatus


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


class DuplicateCandidateFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DuplicateStatus.choices, label=_("Status"), empty_label=_("Semua status")
    )
    reason = django_filters.ChoiceFilter(choices=DuplicateReason.choices, label=_("Alasan"))

    class Meta:
        model = DuplicateCandidate
        fields = ["status", "reason"]
