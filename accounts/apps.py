from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Petugas")

    def ready(self):
        from accounts.services import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")

        from django.contrib.auth.signals import user_logged_in

        from config import login_lock
        from config.middleware import start_activity_clock

        login_lock.connect()
        user_logged_in.connect(start_activity_clock, dispatch_uid="config.start_activity_clock")
