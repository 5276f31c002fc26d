"""The beat schedule names only tasks the worker knows, so a typo never silently skips a job."""

from django.conf import settings

from config.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"households.tasks.cleanup_imports", "households.scan_duplicates"} <= names
    assert names <= set(app.tasks), names - set(app.tasks)
