"""The form of one disbursement; the rules are in ``programs.services.disbursements``."""

from django import forms
from django.utils import timezone

from core.widgets import BlankChoiceMixin
from households.forms.registry import DateInput
from programs.models import Disbursement


class DisbursementForm(BlankChoiceMixin, forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = [
            "year",
            "period",
            "amount",
            "kind",
            "channel",
            "status",
            "disbursed_on",
            "reference",
        ]
        widgets = {"disbursed_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
        # The service gives the messages (ceiling, periods of the program, next year): one
        # place for the form and the import.
        for name in ("year", "period", "amount"):
            self.fields[name].validators = []
            self.fields[name].min_value = None
            self.fields[name].max_value = None
            self.fields[name].widget.attrs.pop("min", None)
            self.fields[name].widget.attrs.pop("max", None)

    def _post_clean(self):
        pass
