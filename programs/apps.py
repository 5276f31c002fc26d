from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("Program")

    def ready(self):
        from programs import demo, panels, reports

        panels.register()
        demo.register()
        reports.register()
