import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _no_rate_limit_counts():
    """django-ratelimit counts requests per address in the shared Redis cache, which outlives a
    test: every test starts with none counted (only the ``rl:`` keys, never the whole cache)."""
    import redis

    client = redis.Redis.from_url(settings.CACHE_URL)
    try:
        for key in client.scan_iter(match="*rl:*"):
            client.delete(key)
    finally:
        client.close()
    yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
