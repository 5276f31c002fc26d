"""Strict helpers that read settings from environment variables.

A missing or malformed value raises ``EnvError`` naming the variable; ``settings.py`` turns it
into a one-line message and a non-zero exit instead of a traceback.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit


class EnvError(Exception):
    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise EnvError(name, "wajib diisi (required)")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise EnvError(name, f"harus 0 atau 1, bukan {value!r} (must be 0 or 1)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(
            name, f"harus bilangan bulat, bukan {value!r} (must be an integer)"
        ) from None
    if minimum is not None and number < minimum:
        raise EnvError(name, f"minimal {minimum}, bukan {number} (must be at least {minimum})")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(name: str, url: str) -> dict:
    """Django DATABASES entry from ``postgresql://user:pass@host:port/db?host=/socket/dir``."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise EnvError(
            name, f"harus URL postgresql://, bukan {url!r} (must be a postgresql:// URL)"
        )
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name:
        raise EnvError(name, "nama database tidak ada di URL (database name missing)")
    try:
        port = parts.port
    except ValueError:
        raise EnvError(name, "port tidak valid (invalid port)") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def redis_url(name: str, url: str) -> str:
    if urlsplit(url).scheme not in {"redis", "rediss", "redis+socket", "unix"}:
        raise EnvError(name, f"harus URL redis://, bukan {url!r} (must be a redis:// URL)")
    return url
