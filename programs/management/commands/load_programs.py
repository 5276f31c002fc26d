from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programs.services.catalogue import CATALOGUE_FILE, load_catalogue


class Command(BaseCommand):
    help = (
        "Muat katalog program nasional (PKH, Sembako, PBI-JK, PIP, BLT-DD, KUBE, PENA, "
        "Rutilahu, UEP, PKAT), OPD/lembaganya dan nilai bantuan PKH. Aman diulang: yang sudah "
        "sama tidak diubah. Mencetak satu baris jumlah dibuat/diubah/tetap."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(CATALOGUE_FILE), help="Berkas katalog (JSON).")

    def handle(self, *args, **options):
        try:
            result = load_catalogue(options["file"])
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(f"load_programs: {error}") from error
        self.stdout.write(result.line())
