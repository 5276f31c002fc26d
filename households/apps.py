from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "households"
    verbose_name = _("Data (registri keluarga)")

    def ready(self):
        from households.panels import register_dashboard_panel
        from households.services.registry import registry_counts
        from households.views.updates import register_panels as register_update_panels

        register_dashboard_panel(
            key="data",
            title=_("Data keluarga"),
            template="households/dashboard_panel.html",
            context=registry_counts,
            permission="households.view_household",
            order=10,
        )
        register_update_panels()

        from households import reports

        reports.register()
