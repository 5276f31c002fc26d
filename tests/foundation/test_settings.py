"""Settings come from the environment; bad or missing values stop the start with a message."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SECRET = "k3y-for-tests-only-" + "x" * 48
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "terpadu.malangkab.go.id,10.0.0.5",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://terpadu.malangkab.go.id",
    "DATABASE_URL": "postgresql://terpadu:rahasia@db.internal:6543/terpadu_prod",
    "REDIS_URL": "redis://cache.internal:6380/2",
}
URL_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
}
SETTING_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASES",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "DATA_DIR",
    "MEDIA_ROOT",
    "IMPORT_MAX_UPLOAD_MB",
    "EVIDENCE_MAX_UPLOAD_MB",
    "AXES_FAILURE_LIMIT",
    "CELERY_RESULT_BACKEND",
    "CACHES",
    "TRUSTED_PROXY_COUNT",
    "AXES_CLIENT_IP_CALLABLE",
]
READ_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    f"print(json.dumps({{n: getattr(s, n, None) for n in {SETTING_NAMES!r}}}, default=str))"
)


def python(code: str, env: dict) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with exactly the given Terpadu variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TERPADU_")) and k not in URL_VARIABLES
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def read_settings(env: dict) -> dict:
    import json

    result = python(READ_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_come_from_the_environment(tmp_path):
    values = read_settings(
        {
            **PRODUCTION,
            "TERPADU_DATA_DIR": str(tmp_path),
            "TERPADU_IMPORT_MAX_MB": "250",
            "TERPADU_EVIDENCE_MAX_MB": "4",
            "TERPADU_LOGIN_FAILURE_LIMIT": "3",
            "DJANGO_HSTS_SECONDS": "600",
        }
    )
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == SECRET
    assert values["ALLOWED_HOSTS"] == ["terpadu.malangkab.go.id", "10.0.0.5"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://terpadu.malangkab.go.id"]
    database = values["DATABASES"]["default"]
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "terpadu_prod",
        "terpadu",
        "rahasia",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", "6543")
    assert values["REDIS_URL"] == values["CELERY_BROKER_URL"] == "redis://cache.internal:6380/2"
    assert values["CELERY_RESULT_BACKEND"] == "redis://cache.internal:6380/2"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6380/2"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["DATA_DIR"] == str(tmp_path)
    assert values["MEDIA_ROOT"] == str(tmp_path / "media")
    assert values["IMPORT_MAX_UPLOAD_MB"] == 250
    assert values["EVIDENCE_MAX_UPLOAD_MB"] == 4
    assert values["AXES_FAILURE_LIMIT"] == 3


def test_development_defaults_and_unix_socket_database():
    values = read_settings(
        {
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgresql://postgres@/terpadu?host=/srv/terpadu/var/postgres",
        }
    )
    assert values["DEBUG"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert "localhost" in values["ALLOWED_HOSTS"]
    database = values["DATABASES"]["default"]
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "terpadu",
        "/srv/terpadu/var/postgres",
        "",
    )
    assert values["AXES_FAILURE_LIMIT"] == 5


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://root@db/terpadu"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db.internal:notaport/terpadu"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://db.internal:5432/"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://cache.internal"}, "REDIS_URL"),
        ({"TERPADU_IMPORT_MAX_MB": "seratus"}, "TERPADU_IMPORT_MAX_MB"),
        ({"TERPADU_LOGIN_FAILURE_LIMIT": "5x"}, "TERPADU_LOGIN_FAILURE_LIMIT"),
        ({"DJANGO_HSTS_SECONDS": "setahun"}, "DJANGO_HSTS_SECONDS"),
        ({"DJANGO_HSTS_SECONDS": "-1"}, "DJANGO_HSTS_SECONDS"),
        ({"TERPADU_TRUSTED_PROXY_COUNT": "satu"}, "TERPADU_TRUSTED_PROXY_COUNT"),
        ({"TERPADU_TRUSTED_PROXY_COUNT": "-1"}, "TERPADU_TRUSTED_PROXY_COUNT"),
        ({"CELERY_BROKER_URL": "amqp://rabbit.internal"}, "CELERY_BROKER_URL"),
        ({"CACHE_URL": "memcached://cache.internal"}, "CACHE_URL"),
    ],
)
def test_bad_or_missing_value_refuses_to_start_naming_the_variable(change, variable):
    env = {k: v for k, v in {**PRODUCTION, **change}.items() if v is not None}
    result = python("import django; django.setup()", env)
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_manage_py_with_bad_value_gives_a_message_not_a_traceback():
    env = {**PRODUCTION, "DJANGO_DEBUG": "ya-tidak"}
    result = python(
        "import sys; sys.argv = ['manage.py', 'check']; "
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(sys.argv)",
        env,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TERPADU_"))},
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_broker_results_and_cache_can_use_their_own_redis_databases():
    values = read_settings(
        {
            **PRODUCTION,
            "CELERY_BROKER_URL": "redis://cache.internal:6380/0",
            "CELERY_RESULT_BACKEND": "redis://cache.internal:6380/1",
            "CACHE_URL": "redis://cache.internal:6380/2",
        }
    )
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6380/0"
    assert values["CELERY_RESULT_BACKEND"] == "redis://cache.internal:6380/1"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6380/2"


def test_trusted_proxies_feed_the_login_throttling():
    assert read_settings(PRODUCTION)["TRUSTED_PROXY_COUNT"] == 0
    values = read_settings({**PRODUCTION, "TERPADU_TRUSTED_PROXY_COUNT": "2"})
    assert values["TRUSTED_PROXY_COUNT"] == 2
    assert values["AXES_CLIENT_IP_CALLABLE"] == "config.client_ip.client_ip"
