"""Whole-area figures kept a while in the cache (synergy headlines, complaint patterns, the
referral overview): aggregates over a district's rows cost 0.3–0.7 s, and a head of office does
not need them to the second. The lists behind them are always live."""

import contextlib

from django.core.cache import cache


def cached_figures(key: str, seconds: int, compute):
    """``compute()``, kept ``seconds`` under ``key`` (0: always computed). Without a cache (Redis
    down) the figures are simply computed: the page still works, only slower."""
    if not seconds:
        return compute()
    try:
        value = cache.get(key)
    except Exception:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(Exception):
            cache.set(key, value, seconds)
    return value
