from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import audit_events, handlers, navigation, sessionuser

        post_migrate.connect(handlers.sync_role_groups_after_migrate)
        audit_events.connect()
        navigation.connect()
        sessionuser.connect()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know our user model's fields."""

    user_viewset = "accounts.admin_views.UserViewSet"
