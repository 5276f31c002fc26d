"""The dedup scan as a Celery task (thin: the service does the work).

Celery's autodiscovery only imports ``<app>.tasks``; ``households/tasks.py`` imports this
module so the worker registers the task."""

from celery import shared_task

from households.services.duplicates import scan_similar_names


@shared_task(name="households.scan_duplicates")
def scan_duplicates(area_code: str = "") -> int:
    """Queue new similar-name pairs in ``area_code`` ("" = every kabupaten); returns how many.

    Safe to run twice or concurrently: a pair can be queued only once."""
    return scan_similar_names(area_code)
