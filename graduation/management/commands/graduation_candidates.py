"""``manage.py graduation_candidates [--area CODE] [--within-months 6] [--format json]``"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.models import Region
from core.regions import normalise_code
from graduation.services.candidates import find_candidates


class Command(BaseCommand):
    help = _(
        "Kandidat graduasi alamiah: keluarga PKH yang anggotanya tidak lagi memberi komponen PKH "
        "atau akan berhenti dalam N bulan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", default="", help=_("Kode wilayah (kosong: semua)."))
        parser.add_argument("--within-months", type=int, default=6)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, area, within_months, format, **options):
        if within_months < 0:
            raise CommandError(_("--within-months tidak boleh negatif."))
        if area:
            area = normalise_code(area)
            if not Region.objects.filter(code=area).exists():
                raise CommandError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": area})
        rows = find_candidates(area, within_months=within_months)
        if format == "json":
            payload = {
                "candidates": [
                    {
                        "registry_id": row.registry_id,
                        "no_kk": row.no_kk,
                        "reason": row.reason,
                        "from": row.from_date.isoformat(),
                    }
                    for row in rows
                ]
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row.registry_id}\t{row.no_kk}\t{row.from_date:%d/%m/%Y}\t{row.reason}"
            )
        self.stdout.write(_("%(n)s kandidat.") % {"n": len(rows)})
