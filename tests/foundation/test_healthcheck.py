"""``/health/`` asks PostgreSQL and each Redis database, and names what is down (503)."""

import json
import os
import socket
import subprocess
import sys

from tests.conftest import ROOT

REDIS_ROLES = {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"}
# Asks /health/ in a fresh interpreter, as a probe without a Host header would.
PROBE = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('/health/'); "
    "print(json.dumps([r.status_code, r.content.decode()]))"
)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def probe(**variables) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in REDIS_ROLES}
    env.update({"DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **variables})
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.splitlines()[-1])
    return status, body


def test_ok_when_database_and_redis_answer(db, client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_answers_before_the_host_check_and_the_https_redirect(db, client, settings):
    settings.ALLOWED_HOSTS = ["terpadu.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200


def test_names_database_and_redis_when_both_are_down():
    port = closed_port()
    status, body = probe(
        DATABASE_URL=f"postgresql://terpadu:geheim-sandi@127.0.0.1:{port}/terpadu",
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
    )
    assert status == 503
    assert body.splitlines() == [
        "database: down (OperationalError)",
        "redis broker: down (ConnectionError)",
        "redis results: down (ConnectionError)",
        "redis cache: down (ConnectionError)",
    ]
    assert "geheim" not in body and str(port) not in body


def test_names_only_the_redis_database_that_is_down():
    status, body = probe(CACHE_URL=f"redis://127.0.0.1:{closed_port()}/2")
    assert status == 503
    assert body == "redis cache: down (ConnectionError)\n"
