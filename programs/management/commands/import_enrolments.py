"""``manage.py import_enrolments FILE --program CODE [--dry-run] [--user USERNAME] [--format json]``

Imports a recipient list (daftar penerima/KPM) of one program into enrolments; see
``programs.importer`` and docs/programs.md. With ``--format json`` it prints one object::

    {"rows", "created", "updated", "unchanged", "skipped_empty",
     "errors": [{"row", "column", "message"}], "warnings": [{"row", "column", "message"}]}

Rows are numbered as Excel shows them. Rows with errors are skipped, the rest applied (nothing
with ``--dry-run``). Exit status 0 when the file was processed, even with row errors; 1 (and
nothing written) for a file that cannot be read, an unknown program code or user.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from households.importer.errors import FileRejected
from programs.importer import process
from programs.models import Program


class Command(BaseCommand):
    help = _(
        "Impor daftar penerima (KPM) sebuah program menjadi kepesertaan. Baris yang salah "
        "dilewati dan dilaporkan, sisanya disimpan (kecuali --dry-run)."
    )
    engine = staticmethod(process)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--program", required=True, help=_("Kode program, mis. PKH."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Periksa saja, tidak menyimpan apa pun.")
        )
        parser.add_argument("--user", help=_("Nama pengguna yang mengimpor (membatasi wilayah)."))
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        path: Path = options["file"]
        as_json = options["format"] == "json"
        if not path.is_file():
            self._refuse(_("File tidak ditemukan: %(path)s") % {"path": path}, as_json)
        program = Program.objects.filter(code__iexact=options["program"].strip()).first()
        if program is None:
            self._refuse(
                _("Program dengan kode %(code)s tidak ada. Lihat katalog program.")
                % {"code": options["program"]},
                as_json,
            )
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                self._refuse(_("Pengguna %(user)s tidak ada.") % {"user": options["user"]}, as_json)
        try:
            report = self.engine(
                path,
                program=program,
                user=user,
                dry_run=options["dry_run"],
                original_name=path.name,
            )
        except FileRejected as rejected:
            self._refuse(str(rejected), as_json)
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        out = self.stdout.write
        out(
            _(
                "%(program)s, %(name)s: %(rows)d baris data (%(empty)d baris kosong dilewati); "
                "%(created)d baru, %(updated)d diperbarui, %(unchanged)d tidak berubah."
            )
            % {
                "program": program.code,
                "name": path.name,
                "rows": report.rows,
                "empty": report.skipped_empty,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        for title, issues in ((_("Kesalahan"), report.errors), (_("Peringatan"), report.warnings)):
            if issues:
                out(f"{title} ({len(issues)}):")
                for issue in issues:
                    column = f", {issue.column}" if issue.column else ""
                    out(
                        _("  baris %(row)d%(column)s: %(message)s")
                        % {"row": issue.row, "column": column, "message": issue.message}
                    )
        if options["dry_run"]:
            out(self.style.WARNING(_("Uji coba (--dry-run): tidak ada yang disimpan.")))

    def _refuse(self, message: str, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        raise CommandError(message)
