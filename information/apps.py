from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    """Pusat informasi: report jobs (.xlsx) of the kinds the other apps register
    (``core.reports``); the dashboard panels are registered by each app itself."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "information"
    verbose_name = _("Informasi (laporan)")
