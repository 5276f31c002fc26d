"""Background tasks of the accounts app."""

import os
import socket

from celery import shared_task
from django.db import connection


@shared_task
def ping() -> dict:
    """Report what the worker itself sees: its host and pid, the database it is connected to and
    how many regions and staff that database holds. A health check for the whole chain
    (broker → worker → database), used by the tests and by operators (``celery call``)."""
    from django.contrib.auth import get_user_model

    from core.models import Region

    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "database": connection.settings_dict["NAME"],
        "regions": Region.objects.count(),
        "staff": get_user_model().objects.filter(profile__isnull=False).count(),
    }
