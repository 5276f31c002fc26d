"""Login lock per username across addresses, next to django-axes' lock per username + address.

django-axes locks a username + address pair after ``TERPADU_LOGIN_FAILURE_LIMIT`` wrong
passwords; its lockout parameters may name several combinations, but all share one failure
limit, so "username alone, with a higher limit" needs this second rule. Somebody guessing slowly
from many addresses (one or two tries each) never trips the pair rule; here every wrong password
for a username counts, whichever address it came from: after
``TERPADU_LOGIN_USERNAME_FAILURE_LIMIT`` of them with no gap of a day and no successful login in
between, the username is locked for the cool-off time (``AXES_COOLOFF_TIME``, one hour), and
every further wrong password once the lock ends locks it again at once. A successful login
clears the count.

Counts live in the cache (Redis), keyed by a hash of the username (no names in Redis). The lock
shows django-axes' locked-out page (``AxesMiddleware``): ``UsernameLockBackend`` sits right
after axes' own backend and flags the request the way axes does. If the cache is unreachable the
rule is skipped (axes' pair lock, kept in PostgreSQL, still applies) rather than refusing every
login.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

log = logging.getLogger(__name__)

# A gap this long without a wrong password forgets the earlier ones.
WINDOW = timedelta(days=1)
KEY_PREFIX = "terpadu-login-lock"


def _keys(username: str) -> tuple[str, str]:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:count:{digest}", f"{KEY_PREFIX}:locked:{digest}"


def _cool_off_seconds() -> int:
    return int(timedelta(hours=settings.AXES_COOLOFF_TIME).total_seconds())


def is_locked(username: str | None) -> bool:
    if not username:
        return False
    _count, locked = _keys(username)
    try:
        return cache.get(locked) is not None
    except Exception:  # noqa: BLE001 - cache down: the pair lock in the database still holds
        log.warning("login lock: cache unavailable, username rule skipped")
        return False


def record_failure(username: str | None) -> int:
    """Count one wrong password for ``username``; returns the count (0 if it was not kept)."""
    if not username:
        return 0
    count_key, locked = _keys(username)
    window = int(WINDOW.total_seconds())
    try:
        cache.add(count_key, 0, window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, window)
            count = 1
        cache.touch(count_key, window)
        if count >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
            cache.set(locked, 1, _cool_off_seconds())
    except Exception:  # noqa: BLE001
        log.warning("login lock: cache unavailable, failure not counted")
        return 0
    return count


def forget(username: str | None) -> None:
    if not username:
        return
    try:
        cache.delete_many(_keys(username))
    except Exception:  # noqa: BLE001
        log.warning("login lock: cache unavailable, count not cleared")


class UsernameLockBackend:
    """Authentication backend right after axes' own: refuses a locked username before any
    password check.

    Like axes' backend it marks the request so that ``AxesMiddleware`` answers with the
    locked-out page, and raises ``PermissionDenied`` so that Django stops trying backends. When
    it lets the attempt through it notes so on the request: only attempts whose password was
    really checked count as failures, so that one address hammering while locked out by axes
    cannot lock the username for everybody."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if is_locked(username):
            request.axes_locked_out = True
            request.axes_credentials = {"username": username}
            raise PermissionDenied("username locked after repeated login failures")
        request.login_password_checked = True
        return None

    # No get_user(): it never logs anybody in, and Django's test client (force_login) takes
    # the first backend that has one.


def _failed(sender, credentials, request=None, **kwargs):
    if request is None or not getattr(request, "login_password_checked", False):
        return
    username = credentials.get("username")
    if record_failure(username) >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
        # The failure that reaches the limit already gets the locked-out page, as with axes.
        request.axes_locked_out = True
        request.axes_credentials = {"username": username}


def _logged_in(sender, request, user, **kwargs):
    forget(user.get_username())


def connect() -> None:
    """Called once from ``accounts.apps.AccountsConfig.ready``."""
    user_login_failed.connect(_failed, dispatch_uid="config.login_lock.failed")
    user_logged_in.connect(_logged_in, dispatch_uid="config.login_lock.logged_in")
