"""The address of the person at the keyboard, for login throttling (django-axes).

Behind the HTTPS reverse proxy every request comes from the proxy's address: locking that
address would lock every user out. Each trusted proxy appends the address it received the
request from to ``X-Forwarded-For``, so with ``TERPADU_TRUSTED_PROXY_COUNT`` proxies in front
the client is the entry that many places from the right. Entries further left were written by
the client itself and are never trusted. With no proxy (count 0) the socket's address counts.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if count == 0 or not forwarded:
        return request.META.get("REMOTE_ADDR")
    # Fewer entries than proxies: the request skipped the outer ones, and the left-most entry
    # is still what a trusted proxy saw.
    return forwarded[-min(count, len(forwarded))]
