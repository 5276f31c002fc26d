from django.conf import settings
from django.utils.translation import gettext_lazy as _

from households.forms.imports import ImportUploadForm
from programs.choices import BeneficiaryUnit
from programs.forms.enrolments import ProgramChoiceField
from programs.models import Program


class RecipientListUploadForm(ImportUploadForm):
    """A recipient list: the program it belongs to and the file (the registry upload's checks)."""

    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label="—"
    )
    field_order = ["program", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            Program.objects.for_user(user)
            .filter(active=True)
            .exclude(beneficiary_unit=BeneficiaryUnit.GROUP)
            .order_by("code")
        )
        self.fields["file"].label = _("File daftar penerima")
        self.fields["file"].help_text = _(
            "Format .xlsx atau .csv, paling besar %(mb)s MB. Kolom: NIK (atau NIK KPM, NIK "
            "Penerima, NIK Pengurus) dan/atau No KK, Nama; boleh juga Tahap/Periode dan Nominal."
        ) % {"mb": settings.IMPORT_MAX_UPLOAD_MB}
