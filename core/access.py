"""The access log: every read of personal data (a household page, a search by NIK/No KK, an
export) is written here with who, what, when and from which address (docs/security.md)."""

import datetime
import logging
import re

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import AccessKind, AccessLog
from core.scope import area_of

logger = logging.getLogger(__name__)

IDENTITY_NUMBER = re.compile(r"\d{16}")


def client_ip(request) -> str | None:
    # The same address the login lock uses (behind the trusted proxies); named in settings so
    # that core does not import config.
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) if request else None


def masked(number: str) -> str:
    """A NIK or No KK as the log keeps it: its last 4 digits."""
    return "*" * 12 + re.sub(r"\D", "", number)[-4:]


def is_identity_search(words: str) -> bool:
    return bool(IDENTITY_NUMBER.fullmatch(re.sub(r"\D", "", words or "")))


def record(request, kind: AccessKind, object_ref: str = "", area_code: str | None = None):
    """One access-log line for the request's user; ``area_code`` defaults to the user's area."""
    user = request.user
    return AccessLog.objects.create(
        user=user,
        kind=kind,
        object_ref=object_ref[:120],
        area_code=(area_code if area_code is not None else area_of(user)) or "",
        ip_address=client_ip(request),
    )


def prune(now=None) -> int:
    """Deletes lines older than ``ACCESS_LOG_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_DAYS)
    deleted, _ = AccessLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def identity_lookup(request, number: str) -> bool:
    """A lookup of one NIK or No KK (registry search, Puskesos intake, complaint triage): one
    access-log line (masked), and False when the user has made more than
    ``IDENTITY_LOOKUP_RATE`` of them (per user, django-ratelimit over the cache) — a whole
    registry cannot be probed number by number. Without the cache the lookup is allowed and
    still recorded."""
    from django_ratelimit import ALL
    from django_ratelimit.core import is_ratelimited

    record(request, AccessKind.IDENTITY_SEARCH, f"{request.path} {masked(number)}")
    try:
        return not is_ratelimited(
            request,
            group="identity-lookup",
            key="user",
            rate=settings.IDENTITY_LOOKUP_RATE,
            method=ALL,
            increment=True,
        )
    except Exception:  # the cache (Redis) is down: allow, the line above is written
        logger.warning("identity lookup rate not checked: cache unavailable")
        return True
