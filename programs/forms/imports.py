from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from households.forms.imports import ImportUploadForm
from programs.choices import BeneficiaryUnit
from programs.forms.enrolments import ProgramChoiceField
from programs.models import Program
from programs.services.imports import DISBURSEMENTS, KIND


class RecipientListUploadForm(ImportUploadForm):
    """A recipient list or a distribution result: the kind, the program it belongs to and the
    file (the registry upload's checks). Distribution results need programs.add_disbursement."""

    kind = forms.ChoiceField(
        label=_("Jenis file"),
        choices=[
            (KIND, _("Daftar penerima → kepesertaan")),
            (DISBURSEMENTS, _("Hasil penyaluran (bank/PT Pos) → penyaluran")),
        ],
        initial=KIND,
        required=False,
    )
    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label="—"
    )
    field_order = ["kind", "program", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["program"].queryset = (
            Program.objects.for_user(user)
            .filter(active=True)
            .exclude(beneficiary_unit=BeneficiaryUnit.GROUP)
            .order_by("code")
        )
        self.fields["file"].label = _("File daftar penerima")
        self.fields["file"].help_text = _(
            "Format .xlsx, .xls, .ods atau .csv, paling besar %(mb)s MB. Kolom: NIK (atau NIK "
            "KPM, NIK Penerima, NIK Pengurus) dan/atau No KK, Nama; boleh juga Tahap/Periode "
            "dan Nominal. "
            "Hasil penyaluran: NIK/No KK, Tahun, Tahap, Nominal, Status; boleh juga Saluran "
            "dan Tanggal."
        ) % {"mb": settings.IMPORT_MAX_UPLOAD_MB}

    def clean_kind(self):
        kind = self.cleaned_data.get("kind") or KIND
        if kind == DISBURSEMENTS and not self.user.has_perm("programs.add_disbursement"):
            raise forms.ValidationError(_("Anda tidak berwenang mengimpor data penyaluran."))
        return kind
