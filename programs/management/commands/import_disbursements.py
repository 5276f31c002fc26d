"""``manage.py import_disbursements FILE --program CODE [--dry-run] [--user USERNAME]
[--format json]``

Imports a distribution-result file (hasil penyaluran of the banks / PT Pos) of one program into
disbursements; see ``programs.importer.disbursements`` and docs/enrolment-import.md. The output
and exit status are those of ``import_enrolments``: with ``--format json`` one object::

    {"rows", "created", "updated", "unchanged", "skipped_empty",
     "errors": [{"row", "column", "message"}], "warnings": [{"row", "column", "message"}]}

``created``/``updated``/``unchanged`` count disbursements (one per enrolment, year and tahap).
"""

from django.utils.translation import gettext_lazy as _

from programs.importer.disbursements import process

from .import_enrolments import Command as EnrolmentsCommand


class Command(EnrolmentsCommand):
    help = _(
        "Impor hasil penyaluran (bank/PT Pos) sebuah program menjadi data penyaluran. Baris "
        "yang salah dilewati dan dilaporkan, sisanya disimpan (kecuali --dry-run)."
    )
    engine = staticmethod(process)
