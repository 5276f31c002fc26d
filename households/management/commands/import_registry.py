"""``manage.py import_registry FILE [--dry-run] [--user USERNAME] [--format text|json]``

The same engine as the web import (docs/registry-format.md, "Command line"). Exit status 0 when
the file was processed, even with row errors; 1 when it could not be read at all.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import area_of
from households.importer import FileRejected, process
from households.models import ImportJob
from households.models.imports import ImportStatus


class Command(BaseCommand):
    help = _(
        "Impor file registri (.xlsx/.csv, format BNBA). Tanpa --user: impor sistem tanpa batas "
        "wilayah; dengan --user: baris harus di wilayah pengguna itu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
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
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                self._refuse(_("Pengguna %(user)s tidak ada.") % {"user": options["user"]}, as_json)
        job = None
        if not options["dry_run"]:
            # A real import is recorded like a web import, so it shows in the import history and
            # the households' history points to it; a dry run writes nothing at all.
            job = ImportJob.objects.create(
                original_name=path.name,
                user=user,
                area_code=(area_of(user) or "") if user else "",
                status=ImportStatus.IMPORTING,
                confirmed_at=timezone.now(),
                confirmed_by=user,
            )
        try:
            report = process(
                path, user=user, dry_run=options["dry_run"], job=job, original_name=path.name
            )
        except FileRejected as rejected:
            if job is not None:
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportStatus.FAILED,
                    message=str(rejected),
                    finished_at=timezone.now(),
                    updated_at=timezone.now(),
                )
            self._refuse(str(rejected), as_json)
        if job is not None:
            self._finish(job, report)
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self._write_text(path, report, options["dry_run"])

    def _refuse(self, message: str, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
        raise CommandError(message)

    @staticmethod
    def _finish(job, report):
        from households.services.imports import summarise

        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            rows_total=report.rows,
            rows_read=report.rows,
            families_checked=report.families,
            counts={"result": summarise(report, job)},
            finished_at=now,
            updated_at=now,
        )

    def _write_text(self, path, report, dry_run):
        out = self.stdout.write
        out(
            _("File %(name)s: baris judul di baris %(header)d, %(rows)d baris data")
            % {"name": path.name, "header": report.header_row, "rows": report.rows}
            + (
                _(" (%(n)d baris kosong dilewati)") % {"n": report.skipped_empty}
                if report.skipped_empty
                else ""
            )
        )
        out(
            _("Keluarga: %(created)d baru, %(updated)d diubah, %(held)d ditahan (dari %(all)d)")
            % {
                "created": report.households_created,
                "updated": report.households_updated,
                "held": report.families_held_back,
                "all": report.families,
            }
        )
        out(
            _("Anggota: %(created)d baru, %(updated)d diubah, %(unchanged)d tidak berubah")
            % {
                "created": report.members_created,
                "updated": report.members_updated,
                "unchanged": report.unchanged,
            }
        )
        if report.unknown_columns:
            out(_("Kolom tidak dikenal (diabaikan): %s") % ", ".join(report.unknown_columns))
        for title, issues, total in (
            (_("Kesalahan"), report.errors, report.errors_total),
            (_("Peringatan"), report.warnings, report.warnings_total),
        ):
            if not total:
                continue
            out(f"{title} ({total}):")
            for issue in issues:
                column = f", {issue.column}" if issue.column else ""
                out(
                    _("  baris %(row)d%(column)s: %(message)s")
                    % {"row": issue.row, "column": column, "message": issue.message}
                )
        if dry_run:
            out(self.style.WARNING(_("Uji coba (--dry-run): tidak ada yang disimpan.")))
        else:
            out(self.style.SUCCESS(_("Selesai.")))
