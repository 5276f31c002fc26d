"""Shared fixtures: regions, personas per role and area, and a real Celery worker.

Personas (the demo district of ``accounts.demo``):
- ``district_admin``   Admin Dinas, whole Kabupaten Malang (35.07)
- ``head_of_office``   Pimpinan, 35.07, read-only
- ``operator_a``       Operator kecamatan Donomulyo (35.07.01)
- ``operator_b``       Operator kecamatan Pagak (35.07.02)
- ``puskesos_a``       Petugas Puskesos of desa 35.07.01.2001
- ``facilitator_a``    Pendamping PKH in 35.07.01
- ``complaints_a``     Petugas pengaduan of kecamatan Donomulyo (35.07.01)
- ``provider``         Mitra layanan of 35.07: in the area, but holds no permission
- ``outsider_admin``   Admin Dinas of another kabupaten (35.08)
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.roles import Role
from accounts.services import set_role

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rahasia-uji-123"

KAB = "35.07"
KEC_A = "35.07.01"
KEC_B = "35.07.02"
DESA_A1 = "35.07.01.2001"
DESA_A2 = "35.07.01.2002"
DESA_B1 = "35.07.02.2001"
OTHER_KAB = "35.08"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the whole national region list, loaded once per session."""
    from core.regions import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    """Tests run with DEBUG off, so WhiteNoise serves STATIC_ROOT (filled by collectstatic
    for production) and warns on every request handler when the folder does not exist."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _live_synergy_figures(settings):
    """The synergy pages' headline cache and the complaint patterns' cache would carry figures
    from one test's data into the next (the cache is a shared Redis database); tests that are
    about the cache turn it on."""
    settings.SYNERGY_CACHE_SECONDS = 0
    settings.COMPLAINTS_PATTERNS_CACHE_SECONDS = 0
    settings.REFERRAL_OVERVIEW_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _live_dashboard_figures(settings):
    """The same for the home dashboard's panels (core.reports.dashboard_figures)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Bahasa Indonesia: a request in English activates English for the
    rest of the thread, which must not leak into the next test's services and messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_login_lock_counts():
    """Wrong passwords per username are counted in Redis (config/login_lock.py), which outlives
    a test's database: every test starts with none counted."""
    import redis

    from config.login_lock import KEY_PREFIX

    client = redis.Redis.from_url(settings.CACHE_URL)
    try:
        for pattern in (f"*{KEY_PREFIX}:*", "*rl:*"):  # and django-ratelimit's counters
            for key in client.scan_iter(match=pattern):
                client.delete(key)
    finally:
        client.close()


def _truncates(item) -> bool:
    """A transactional test (live_server, Celery worker, ``django_db(transaction=True)``) ends
    by truncating every table, the region list too."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,))))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has truncated the tables, the region list comes back at once,
    so the next test finds it whatever its kind: under pytest-xdist a worker runs
    non-transactional tests after transactional ones too."""
    yield
    # The last test's teardown has also dropped the test database: nothing to give back.
    if nextitem is None or not _truncates(item):
        return
    from pytest_django.plugin import blocking_manager_key

    from core.models import Region
    from core.regions import load_regions

    with item.config.stash[blocking_manager_key].unblock():
        if not Region.objects.exists():
            load_regions()


def make_persona(username, role, area, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.replace("_", " ").title(), **extra
    )
    set_role(user, role, area)
    return user


# Role and area of each persona; the fixtures below make them, and tests that need a second,
# module-wide set (``tests/test_url_scope.py``) make theirs from the same table.
PERSONAS = {
    "district_admin": (Role.ADMIN_DINAS, KAB),
    "head_of_office": (Role.PIMPINAN, KAB),
    "operator_a": (Role.OPERATOR_KECAMATAN, KEC_A),
    "operator_b": (Role.OPERATOR_KECAMATAN, KEC_B),
    "puskesos_a": (Role.PETUGAS_PUSKESOS, DESA_A1),
    "facilitator_a": (Role.PENDAMPING, KEC_A),
    "complaints_a": (Role.PETUGAS_PENGADUAN, KEC_A),
    "provider": (Role.MITRA_LAYANAN, KAB),
    "outsider_admin": (Role.ADMIN_DINAS, OTHER_KAB),
}


def persona(name, username=None):
    role, area = PERSONAS[name]
    return make_persona(username or name, role, area)


@pytest.fixture
def district_admin(db):
    return persona("district_admin")


@pytest.fixture
def head_of_office(db):
    return persona("head_of_office")


@pytest.fixture
def operator_a(db):
    return persona("operator_a")


@pytest.fixture
def operator_b(db):
    return persona("operator_b")


@pytest.fixture
def puskesos_a(db):
    return persona("puskesos_a")


@pytest.fixture
def facilitator_a(db):
    return persona("facilitator_a")


@pytest.fixture
def complaints_a(db):
    return persona("complaints_a")


@pytest.fixture
def provider(db):
    return persona("provider")


@pytest.fixture
def outsider_admin(db):
    return persona("outsider_admin")


@pytest.fixture
def personas(
    district_admin,
    head_of_office,
    operator_a,
    operator_b,
    puskesos_a,
    facilitator_a,
    provider,
    outsider_admin,
):
    return {
        "district_admin": district_admin,
        "head_of_office": head_of_office,
        "operator_a": operator_a,
        "operator_b": operator_b,
        "puskesos_a": puskesos_a,
        "facilitator_a": facilitator_a,
        "provider": provider,
        "outsider_admin": outsider_admin,
    }


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker_env():
    """Environment for a subprocess that must see the test database and the test broker."""
    db = settings.DATABASES["default"]
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        url = f"postgresql://{db['USER']}@/{db['NAME']}?host={host}"
    else:
        url = f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL, "DJANGO_DEBUG": "1"}


@pytest.fixture
def celery_worker_process(transactional_db, worker_env):
    """A real ``celery worker`` process on the configured Redis, against the test database.

    Tests that use it must commit their data (``transactional_db``)."""
    from config.celery import app

    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=worker_env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if app.control.ping(timeout=0.5):
                break
        except Exception:  # the broker may refuse until the worker has declared its queues
            pass
        if process.poll() is not None:
            raise RuntimeError("celery worker exited at start")
    else:
        process.kill()
        raise RuntimeError("celery worker did not answer a ping within 30 s")
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# Playwright's sync API keeps an event loop running in the test thread; the live server and the
# ORM calls of the test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def login_page(page, live_server):
    """Log a persona in through the real login form; returns a function(user) → page."""

    def login(user):
        page.goto(f"{live_server.url}/masuk/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login
