"""Celery tasks of the programs app. Thin: an id in, one service call."""

from celery import shared_task

from programs.services import imports


@shared_task(name=imports.CHECK_TASK)
def check_recipient_list(job_id: int) -> None:
    imports.check_list_job(job_id)


@shared_task(name=imports.RUN_TASK)
def import_recipient_list(job_id: int) -> None:
    imports.run_list_job(job_id)
