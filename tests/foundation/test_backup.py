"""``./terpadu backup`` then ``./terpadu restore`` into an empty database and an empty data
folder: every household, member, proposal and uploaded file is back; a second restore over it
is refused without ``--force``."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from households.models import DataUpdate, Household, Member
from households.models.updates import UpdateKind
from tests.conftest import ROOT
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db(transaction=True)


def launcher(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "config.launcher", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def restore_database(worker_env):
    """An empty database beside the test database, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    admin_url = worker_env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield worker_env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_brings_everything_back(worker_env, restore_database, operator_a):
    family = make.family(head="Slamet Riyadi")
    proposal = DataUpdate.objects.create(
        kind=UpdateKind.DEATH,
        household=family,
        member=family.members.first(),
        desa_id=family.desa_id,
        reason="meninggal dunia",
        proposed_by=operator_a,
    )
    source = Path(tempfile.mkdtemp(prefix="terpadu-backup-src-"))
    target = Path(tempfile.mkdtemp(prefix="terpadu-backup-dst-"))
    try:
        upload = source / "media" / "evidence" / "2026" / "akta.pdf"
        upload.parent.mkdir(parents=True)
        upload.write_bytes(b"%PDF-1.4 akta kematian")
        backup_file = source / "cadangan.tar"

        made = launcher(
            ["backup", str(backup_file)], {**worker_env, "TERPADU_DATA_DIR": str(source)}
        )
        assert made.returncode == 0, made.stderr
        assert backup_file.stat().st_size > 0

        env = {**worker_env, "TERPADU_DATA_DIR": str(target), "DATABASE_URL": restore_database}
        restored = launcher(["restore", str(backup_file)], env)
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(restore_database) as db:
            counts = [
                db.execute(f"SELECT count(*) FROM {model._meta.db_table}").fetchone()[0]
                for model in (Household, Member, DataUpdate)
            ]
            reason = db.execute(
                "SELECT reason FROM households_dataupdate WHERE id = %s", [proposal.pk]
            ).fetchone()[0]
        assert counts == [1, 3, 1] and reason == "meninggal dunia"
        copied = target / "media" / "evidence" / "2026" / "akta.pdf"
        assert copied.read_bytes() == b"%PDF-1.4 akta kematian"

        again = launcher(["restore", str(backup_file)], env)
        assert again.returncode == 1 and "--force" in again.stderr
    finally:
        shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
