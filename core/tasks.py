from celery import shared_task

from core import access


@shared_task(name="core.prune_access_log")
def prune_access_log() -> int:
    return access.prune()
