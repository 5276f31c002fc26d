"""Search terms (NIK, No KK, names) never travel in a URL.

A filter form that can hold personal data posts to ``?_search=1`` (``method="post"
action="?_search=1"`` and ``{% csrf_token %}``).
``SearchTermsMiddleware`` keeps the sensitive fields (``SENSITIVE``) in the user's session under
a random token and answers with the same page at ``?<the other filters>&s=<token>`` — a
redirect (303) for a plain form, the page itself (with ``HX-Push-Url``) for htmx. So the address
bar, the history, a proxy's and gunicorn's access logs see ``s=Vb3k…`` and never
``q=3507…``. ``search_data(request)`` gives a view the query as the user typed it (what a
FilterSet reads); ``request.GET`` keeps the token, so pagination and sort links carry it.
"""

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

from core import access

SENSITIVE = ("q", "nik", "no_kk")
SESSION_KEY = "search_terms"
TOKEN_PARAM = "s"
MARKER = "_search"
KEPT_TOKENS = 30  # per session; an older token's page shows the unfiltered list again


def too_many_lookups_message() -> str:
    return _(
        "Terlalu banyak pencarian NIK/No KK dalam waktu singkat. Coba lagi nanti, atau hubungi "
        "Admin Dinas bila pekerjaan Anda memang memerlukannya."
    )


def search_data(request) -> QueryDict:
    """``request.GET`` with the sensitive terms of its token put back (a copy)."""
    data = request.GET.copy()
    token = data.get(TOKEN_PARAM)
    session = getattr(request, "session", None)
    if token and session is not None:
        for name, values in session.get(SESSION_KEY, {}).get(token, {}).items():
            data.setlist(name, values)
    return data


def _store(request, terms: dict) -> str:
    stored = dict(request.session.get(SESSION_KEY, {}))
    for token, earlier in stored.items():
        if earlier == terms:
            return token
    token = secrets.token_urlsafe(8)
    stored[token] = terms
    request.session[SESSION_KEY] = dict(list(stored.items())[-KEPT_TOKENS:])
    return token


def _identity_lookups_allowed(request, terms: dict) -> bool:
    """A search by a NIK or No KK is a read of personal data: one access-log line each (the
    number masked) and the per-user lookup rate (core.access.identity_lookup)."""
    allowed = True
    for values in terms.values():
        for value in values:
            if access.is_identity_search(value):
                allowed = access.identity_lookup(request, value) and allowed
    return allowed


class SearchTermsMiddleware:
    """Turns a posted search form into a tokenised GET (see the module's docstring). It acts in
    ``process_view``, after the CSRF check and the login requirement."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        push = getattr(request, "search_push_url", None)
        if push:
            response["HX-Push-Url"] = push
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The marker is in the form's action (?_search=1), so no other POST body is read here
        # (an upload's view can still choose its upload handlers).
        if request.method != "POST" or MARKER not in request.GET:
            return None
        if not request.user.is_authenticated:
            return None
        kept = QueryDict(mutable=True)
        terms = {}
        for name, values in request.POST.lists():
            if name in ("csrfmiddlewaretoken", MARKER, TOKEN_PARAM):
                continue
            values = [value for value in values if value != ""]
            if not values:
                continue
            if name in SENSITIVE:
                terms[name] = values
            else:
                kept.setlist(name, values)
        if terms and not _identity_lookups_allowed(request, terms):
            messages.error(request, too_many_lookups_message())
            return HttpResponseRedirect(request.path, status=303)
        if terms:
            kept[TOKEN_PARAM] = _store(request, terms)
        url = f"{request.path}?{kept.urlencode()}" if kept else request.path
        if not getattr(request, "htmx", False):
            return HttpResponseRedirect(url, status=303)
        # htmx swaps the results in place: render the GET now, and push its address.
        request.method = "GET"
        request.GET = kept
        request.search_push_url = url
        return None
