"""Project middleware."""

import copy
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core import access
from core.models import AccessKind


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


class PrivateSearchMiddleware:
    """Search words (a NIK, a No KK, a name) never travel in a URL.

    A search form posts (``method="post"`` with the hidden field ``_cari``); this middleware
    keeps its words (``PRIVATE_FIELDS``) in the session under a random key and redirects (303)
    to the page with the other filters and ``cari=<key>`` in the query string, so the address
    bar, the history, bookmarks, proxy and access logs only ever see the key. On a request with
    ``cari``, the words are put back into ``request.GET`` for the view (filtersets read them as
    before), while every link built from ``request.GET`` (pagination, sorting, ``querystring``)
    leaves them out and carries the key. (A hand-typed ``?q=`` still works as before: no page
    of Terpadu builds such a link any more, and the logs mask NIKs, config/redaction.py.) A
    key that is no longer in the session (another browser, logged out) searches nothing."""

    PRIVATE_FIELDS = ("q", "nik", "no_kk")
    MARKER = "_cari"
    KEY = "cari"
    SESSION_KEY = "terpadu_searches"
    KEPT = 30  # searches remembered per session

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and self.KEY in request.GET and "HX-Request" in request.headers:
            # htmx followed the redirect: the address bar shows the key, not the words.
            response.headers.setdefault("HX-Push-Url", request.get_full_path())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After CsrfViewMiddleware and LoginRequiredMiddleware (process_view runs in order).
        if request.method == "POST" and self.MARKER in request.POST:
            return self._redirect(request, request.POST)
        if request.method == "GET":
            key = request.GET.get(self.KEY)
            if key:
                words = request.session.get(self.SESSION_KEY, {}).get(key, {})
                data = PrivateQueryDict(request.GET.urlencode(), mutable=True)
                for name, value in words.items():
                    data[name] = value
                data._mutable = False
                request.GET = data
        return None

    def _redirect(self, request, submitted):
        words = {}
        query = QueryDict(mutable=True)
        for name, values in submitted.lists():
            values = [value for value in values if value.strip()]
            if name in ("csrfmiddlewaretoken", self.MARKER, self.KEY) or not values:
                continue
            if name in self.PRIVATE_FIELDS:
                words[name] = values[-1].strip()
            else:
                query.setlist(name, values)
        if words:
            if request.user.is_authenticated:
                for value in words.values():
                    if access.is_identity_search(value):
                        ref = f"{request.path} {access.masked(value)}"
                        access.record(request, AccessKind.IDENTITY_SEARCH, ref)
            key = secrets.token_urlsafe(9)
            searches = dict(request.session.get(self.SESSION_KEY, {}))
            searches[key] = words
            request.session[self.SESSION_KEY] = dict(list(searches.items())[-self.KEPT :])
            query[self.KEY] = key
        location = request.path + (f"?{query.urlencode()}" if query else "")
        response = HttpResponseRedirect(location, status=303)
        return response


class PrivateQueryDict(QueryDict):
    """``request.GET`` with search words put back: the view reads them (``get``, ``getlist``,
    ``in``), while ``lists()``/``items()``/``urlencode()`` (what links are built from) leave
    them out. Copies keep the words (a view may copy before filtering)."""

    def lists(self):
        private = PrivateSearchMiddleware.PRIVATE_FIELDS
        return ((key, values) for key, values in super().lists() if key not in private)

    def __iter__(self):
        private = PrivateSearchMiddleware.PRIVATE_FIELDS
        return (key for key in super().__iter__() if key not in private)

    def keys(self):
        return iter(self)

    def items(self):
        private = PrivateSearchMiddleware.PRIVATE_FIELDS
        return ((key, value) for key, value in super().items() if key not in private)

    def __deepcopy__(self, memo):
        result = self.__class__("", mutable=True, encoding=self.encoding)
        memo[id(self)] = result
        for key, values in dict.items(self):
            result.setlist(copy.deepcopy(key, memo), copy.deepcopy(values, memo))
        return result

    def __copy__(self):
        result = self.__class__("", mutable=True, encoding=self.encoding)
        for key, values in dict.items(self):
            result.setlist(key, values)
        return result
