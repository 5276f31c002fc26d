"""Each pytest-xdist worker gets a Redis database of its own (loaded with ``-p`` so it runs
before pytest-django reads the settings).

The tests that start a real Celery worker purge the queue and wait for their own task: two
test processes on one broker database would take each other's tasks (and run them against the
other process's test database). The test databases are already apart (pytest-django suffixes
them ``_gw0``, ``_gw1``…); this does the same for Redis: worker ``gwN`` uses database
``base + 1 + N`` (mod 16) of the configured server."""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_SETTINGS = ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL")


def worker_url(url: str, worker: int) -> str:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    return urlunsplit(parts._replace(path=f"/{(base + 1 + worker) % 16}"))


def _apply() -> None:
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not name.startswith("gw"):
        return
    worker = int(name[2:])
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    for setting in REDIS_SETTINGS:
        if os.environ.get(setting):
            os.environ[setting] = worker_url(os.environ[setting], worker)


_apply()
