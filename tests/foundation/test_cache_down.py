"""Pages that read the cache still work when the cache (Redis) is down (issue #14): the
district dashboard counts, the synergy headlines, the complaint patterns and the referral
overview all go through ``core.figures.cached_figures``."""

import pytest
from django.urls import reverse

from tests.conftest import client_for


def down(*args, **kwargs):
    raise ConnectionError("Redis is down")


@pytest.fixture
def cache_down(monkeypatch, settings):
    """Every call of the Redis cache backend fails, as when Redis is stopped."""
    settings.SYNERGY_CACHE_SECONDS = 600
    settings.COMPLAINTS_PATTERNS_CACHE_SECONDS = 600
    settings.REFERRAL_OVERVIEW_CACHE_SECONDS = 600
    for name in ("get", "set", "add", "incr", "delete", "delete_many", "touch", "get_many"):
        monkeypatch.setattr(f"django.core.cache.backends.redis.RedisCache.{name}", down)


def test_cached_figures_are_computed_when_the_cache_is_down(cache_down):
    from core.figures import cached_figures

    assert cached_figures("any", 600, lambda: {"n": 3}) == {"n": 3}


@pytest.mark.parametrize(
    "url_name", ["home", "programs:synergy", "complaints:patterns", "referrals:index"]
)
def test_pages_answer_without_the_cache(cache_down, district_admin, url_name):
    response = client_for(district_admin).get(reverse(url_name))
    assert response.status_code == 200
