"""Celery tasks of the complaints app. Thin: one service call each, safe to run twice."""

from celery import shared_task

from complaints.services import escalation


@shared_task(name="complaints.escalate_overdue")
def escalate_overdue() -> dict:
    return escalation.escalate_overdue()


@shared_task(name="complaints.daily_digest")
def daily_digest() -> int:
    return escalation.daily_digest()
