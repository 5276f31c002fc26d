from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: regions, area scope, scoped views and the common UI pieces.

    It imports no other app of the project; accounts, households and the function apps import
    it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Bersama")
