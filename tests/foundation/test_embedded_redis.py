"""The embedded Redis of ``./terpadu run`` runs append-only (a queued task must survive the
Redis process dying; a snapshot-only Redis lost one: #14)."""

import tempfile
from pathlib import Path

import redis

from config.launcher import EmbeddedRedis


def test_the_embedded_redis_is_append_only():
    folder = Path(tempfile.mkdtemp(prefix="terpadu-redis-"))
    server = EmbeddedRedis(folder / "redis" / "terpadu.rdb")
    try:
        client = redis.Redis.from_url(server.start())
        assert client.config_get("appendonly")["appendonly"] == "yes"
        assert client.config_get("appendfsync")["appendfsync"] == "everysec"
        assert client.config_get("dir")["dir"] == str(folder / "redis")
    finally:
        server.stop()
