"""Celery tasks of the information app. Thin: an id in, one service call."""

from celery import shared_task

from information import services


@shared_task(name=services.BUILD_TASK)
def build_report(report_id: int) -> None:
    services.build(report_id)


@shared_task(name="information.prune_reports")
def prune_reports() -> int:
    return services.prune()


@shared_task(name="information.monthly_recap")
def monthly_recap() -> int:
    return services.monthly_recap()


@shared_task(name="information.warm_dashboard")
def warm_dashboard() -> int:
    return services.warm_dashboard()
