"""Project middleware."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


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
