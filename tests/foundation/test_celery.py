"""A task goes through Redis to a real worker process and back; nothing runs eagerly."""

import os

import pytest
from django.conf import settings

from accounts.tasks import ping
from core.models import Region


def test_tasks_are_never_run_eagerly():
    from config.celery import app

    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.REDIS_URL


@pytest.mark.worker
def test_ping_round_trip_through_a_real_worker(celery_worker_process, operator_a):
    result = ping.delay().get(timeout=30)

    assert result["pid"] == celery_worker_process.pid
    assert result["pid"] != os.getpid()
    assert result["database"] == settings.DATABASES["default"]["NAME"]
    assert result["regions"] == Region.objects.count() > 90000
    assert result["staff"] == 1
