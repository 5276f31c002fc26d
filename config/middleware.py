"""Project middleware."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Bahasa Indonesia unless the user picked another language with the switcher.

    Django's own middleware follows the browser's Accept-Language, and many office computers
    run an English browser while their users work in Indonesian; so only the language cookie
    set by ``set_language`` counts."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Browser features no page of Terpadu uses; a page (or anything injected into it) cannot turn
# them on. "()" = allowed for no origin.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user.

    Nearly every page behind the login shows personal data (names, NIK, family, income), and
    office computers are shared: neither the browser's cache nor a proxy may keep a copy, and
    the back button after logging out must not bring a household page back. Static files
    (served by WhiteNoise above this middleware) and pages for visitors who are not signed in,
    such as the public complaint form, keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        return response


class IdleSessionMiddleware:
    """Signs a user out after ``TERPADU_SESSION_IDLE_MINUTES`` without a request.

    The time of the last request is kept in the session (``SESSION_KEY``, seconds since the
    epoch), written at most once a minute so that a busy user does not cost a session write per
    request. An idle user is logged out and sent to the login page (``LoginRequiredMiddleware``
    does the redirect, with ``next``) with a message saying why; an htmx request gets an
    ``HX-Redirect`` instead of the login page swapped into part of the page. Pages open to
    visitors simply carry on for the now anonymous user."""

    SESSION_KEY = "terpadu_last_activity"
    RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        expired = False
        if request.user.is_authenticated:
            last = request.session.get(self.SESSION_KEY)
            idle_limit = settings.SESSION_IDLE_MINUTES * 60
            if isinstance(last, int) and now - last >= idle_limit:
                logout(request)
                messages.warning(
                    request,
                    _(
                        "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d menit. "
                        "Silakan masuk lagi."
                    )
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
                expired = True
        response = self.get_response(request)
        if expired and getattr(request, "htmx", False) and response.status_code in (301, 302):
            response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
        if request.user.is_authenticated:
            last = request.session.get(self.SESSION_KEY)
            if not isinstance(last, int) or now - last >= self.RESOLUTION_SECONDS:
                request.session[self.SESSION_KEY] = now
        return response


def start_activity_clock(sender, request, user, **kwargs):
    """``user_logged_in``: the idle clock starts at login, in the session the login saves, so the
    first page after it needs no session write of its own."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionMiddleware.SESSION_KEY] = int(time.time())
