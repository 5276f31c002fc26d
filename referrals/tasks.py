from celery import shared_task

from referrals import services


@shared_task(name="referrals.mark_overdue")
def mark_overdue() -> dict:
    """Daily: flag open referrals past their due date and tell their senders and providers."""
    return services.mark_overdue()
