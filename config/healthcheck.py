"""Container health check of the web service: the login page answers 200.

The request goes to gunicorn directly, so it names an allowed host and says it came through
the HTTPS proxy (X-Forwarded-Proto), as real requests do; otherwise Django would answer 400
or redirect to HTTPS."""

import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    # ".example.go.id" allows the domain and its subdomains; "*" allows any host.
    return "localhost" if host == "*" else host.lstrip(".")


def main() -> int:
    request = urllib.request.Request(
        "http://127.0.0.1:8000/masuk/",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
