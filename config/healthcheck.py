"""Health of the web service: ``GET /health/`` asks PostgreSQL and every Redis database in use.

200 ``ok`` when all answer; 503 with one line per service that does not, e.g.
``database: down (connection refused)``. The middleware answers before the others, so neither
the host check nor the HTTPS redirect applies: the container's health check (``python
config/healthcheck.py``, see docker-compose.yml) and a load balancer can ask gunicorn directly
over plain HTTP. The answer names services, never addresses or passwords.
"""

import sys
import urllib.error
import urllib.request

PATH = "/health/"
TIMEOUT = 3


def database_problem() -> str | None:
    from django.db import connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means "down"; the kind is shown, not re-raised
        connection.close()
        return type(error).__name__
    return None


def redis_problem(url: str) -> str | None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as error:
        return type(error).__name__
    finally:
        client.close()
    return None


def problems() -> dict[str, str]:
    from django.conf import settings

    found = {}
    if (problem := database_problem()) is not None:
        found["database"] = problem
    redis_urls = {
        "redis broker": settings.CELERY_BROKER_URL,
        "redis results": settings.CELERY_RESULT_BACKEND,
        "redis cache": settings.CACHE_URL,
    }
    checked = {}
    for name, url in redis_urls.items():
        if url not in checked:
            checked[url] = redis_problem(url)
        if checked[url] is not None:
            found[name] = checked[url]
    return found


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        from django.http import HttpResponse

        found = problems()
        if not found:
            return HttpResponse("ok\n", content_type="text/plain")
        lines = "".join(f"{name}: down ({problem})\n" for name, problem in found.items())
        return HttpResponse(lines, status=503, content_type="text/plain")


def main() -> int:
    """The container's health check: asks gunicorn inside the same container."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:8000{PATH}", timeout=15) as response:
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"health check: {error.code} {error.read().decode(errors='replace')}", end="")
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
