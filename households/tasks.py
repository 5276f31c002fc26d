"""Celery tasks of the DATA section. Thin: an id in, one service call; the services record
progress and make every step safe to run twice."""

from celery import shared_task

# Celery autodiscovery imports only ``households.tasks``: the dedup scan task registers here.
from households.duplicate_tasks import *  # noqa: F403
from households.services import imports


@shared_task(name=imports.VALIDATE_TASK)
def validate_import(job_id: int) -> None:
    imports.validate_job(job_id)


@shared_task(name=imports.RUN_TASK)
def run_import(job_id: int) -> None:
    imports.run_job(job_id)


@shared_task
def cleanup_imports() -> dict:
    return imports.clean_up_jobs()
