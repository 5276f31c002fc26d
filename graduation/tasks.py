"""Celery tasks of the graduation app. Thin: one service call each."""

from celery import shared_task

from graduation.services import candidates

REFRESH_TASK = "graduation.refresh_candidates"


@shared_task(name=REFRESH_TASK)
def refresh_candidates() -> int:
    """Nightly: recompute the natural-graduation candidates and tell each facilitator how many
    of their KPM are among them (once per day, however often it runs)."""
    candidates.refresh_candidates()
    return candidates.notify_facilitators()
