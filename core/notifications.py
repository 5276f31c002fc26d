"""In-app notifications, and e-mail when the deployment has a mail server.

``notify`` is what jobs and services call: one row per user, at most once per ``key``."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from core.models import Notification

log = logging.getLogger(__name__)


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def notify(users, message: str, url: str = "", key: str = "") -> int:
    """Tell each of ``users`` ``message`` (with a link to ``url``); with ``key``, a user who was
    already told about ``key`` is not told again. Returns how many were told now."""
    told = []
    for user in {user.pk: user for user in users if user is not None}.values():
        if not user.is_active:
            continue
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, message=message[:500], url=url, key=key)
        except IntegrityError:
            continue
        told.append(user)
    if told and email_configured():
        recipients = [user.email for user in told if user.email]
        if recipients:
            link = f"\n\n{settings.TERPADU_BASE_URL.rstrip('/')}{url}" if url else ""
            transaction.on_commit(lambda: _send(message, link, recipients))
    return len(told)


def _send(message, link, recipients):
    try:
        send_mail(
            subject=f"Terpadu: {message[:80]}",
            message=message + link,
            from_email=None,
            recipient_list=recipients,
            fail_silently=False,
        )
    except Exception:
        # The in-app notification is there; a mail server that is down must not fail the job.
        log.warning("notification e-mail not sent to %d recipients", len(recipients))


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
