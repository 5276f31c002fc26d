from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraduationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "graduation"
    verbose_name = _("Graduasi")

    def ready(self):
        from graduation import panels, reports

        panels.register()
        reports.register()
