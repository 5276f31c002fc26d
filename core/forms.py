from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Holiday


class HolidayForm(forms.ModelForm):
    date = forms.DateField(label=_("Tanggal"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    class Meta:
        model = Holiday
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}
