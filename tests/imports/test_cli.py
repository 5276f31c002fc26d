"""``manage.py import_registry`` as docs/registry-format.md specifies it."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from households.models import ChangeLog, Household, ImportJob
from households.models.imports import ImportStatus
from tests.conftest import ROOT, client_for
from tests.imports.files import DESA_B1, family, sheet, write_csv, write_ole

pytestmark = pytest.mark.django_db

REQUIRED_KEYS = {
    "rows": int,
    "households_created": int,
    "households_updated": int,
    "members_created": int,
    "members_updated": int,
    "unchanged": int,
    "skipped_empty": int,
    "errors": list,
    "warnings": list,
}


def command(*args) -> str:
    out = io.StringIO()
    call_command("import_registry", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_output_has_the_documented_shape(tmp_path, operator_a):
    rows = family(1) + family(2, desa=DESA_B1)
    rows[1]["nik"] = ""
    path = write_csv(tmp_path / "registry.csv", sheet(rows))
    result = json.loads(command(path, "--format", "json", "--user", "operator_a"))
    for key, kind in REQUIRED_KEYS.items():
        assert isinstance(result[key], kind), key
    assert result["rows"] == 6 and result["households_created"] == 1
    assert result["members_created"] == 3
    assert result["errors"][0] == {
        "row": 5,
        "column": "kode_desa",
        "message": "Desa Sumbermanjing Kulon (35.07.02.2001) di luar wilayah Anda (35.07.01).",
    }
    assert all(set(issue) == {"row", "column", "message"} for issue in result["errors"])
    assert [(issue["row"], issue["column"]) for issue in result["warnings"]] == [(3, "nik")]


def test_dry_run_json_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "registry.csv", sheet(family(1)))
    result = json.loads(command(path, "--dry-run", "--format", "json"))
    assert result["households_created"] == 1 and result["dry_run"] is True
    assert Household.objects.count() == 0 and ImportJob.objects.count() == 0


def test_a_real_import_is_recorded_as_a_job_with_its_history(tmp_path, district_admin):
    path = write_csv(tmp_path / "registry.csv", sheet(family(1)))
    output = command(path, "--user", "district_admin")
    assert "Keluarga: 1 baru" in output and "Anggota: 3 baru" in output
    job = ImportJob.objects.get()
    assert (job.status, job.user, job.original_name, job.area_code) == (
        ImportStatus.DONE,
        district_admin,
        "registry.csv",
        "35.07",
    )
    assert job.counts["result"]["households_created"] == 1
    assert ChangeLog.objects.get().import_job == job


def test_household_history_links_the_import_only_for_who_may_see_imports(
    tmp_path, district_admin, operator_a
):
    command(write_csv(tmp_path / "registry.csv", sheet(family(1))), "--user", "district_admin")
    job, household = ImportJob.objects.get(), Household.objects.get()
    link = f'<a href="/data/impor/{job.pk}/">registry.csv</a>'
    admin_page = client_for(district_admin).get(f"/data/keluarga/{household.pk}/")
    assert link in admin_page.content.decode()
    # The kecamatan operator sees where the change came from but has no import pages to open.
    operator_page = client_for(operator_a).get(f"/data/keluarga/{household.pk}/").content.decode()
    assert "registry.csv" in operator_page and link not in operator_page


def test_system_import_without_user_has_no_area_limit(tmp_path):
    path = write_csv(tmp_path / "registry.csv", sheet(family(1) + family(2, desa=DESA_B1)))
    output = command(path)
    assert "Keluarga: 2 baru" in output
    assert ImportJob.objects.get().user is None


def test_text_output_lists_errors_with_rows(tmp_path):
    rows = family(1)
    rows[0]["tanggal_lahir"] = "31/02/1980"
    path = write_csv(tmp_path / "registry.csv", sheet(rows))
    output = command(path, "--dry-run")
    assert "Kesalahan (3):" in output
    assert "baris 2, tanggal_lahir: Tanggal tidak dikenal: 31/02/1980." in output
    assert "Uji coba (--dry-run)" in output


def test_unreadable_file_and_unknown_user_raise(tmp_path):
    with pytest.raises(CommandError, match="rusak"):
        command(write_ole(tmp_path / "lama.xls", encrypted=False))
    failed = ImportJob.objects.get()
    assert failed.status == ImportStatus.FAILED and "File .xls rusak" in failed.message
    path = write_csv(tmp_path / "registry.csv", sheet(family(1)))
    with pytest.raises(CommandError, match="tidak ada"):
        command(path, "--user", "nobody")


def test_exit_status(tmp_path, worker_env):
    """0 when the file was processed, even with row errors; non-zero when it can't be read."""
    rows = family(1)
    rows[0]["jenis_kelamin"] = "?"
    good = write_csv(tmp_path / "registry.csv", sheet(rows))
    bad = write_ole(tmp_path / "rahasia.xlsx", encrypted=True)

    def run(path):
        return subprocess.run(
            [sys.executable, "manage.py", "import_registry", str(path), "--dry-run", "--format",
             "json"],
            cwd=ROOT, env=worker_env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    processed = run(good)
    assert processed.returncode == 0, processed.stderr
    assert len(json.loads(processed.stdout)["errors"]) == 3
    refused = run(bad)
    assert refused.returncode != 0
    assert "kata sandi" in json.loads(refused.stdout)["error"]
    assert "kata sandi" in refused.stderr
