from django.apps import apps

from .services import role_groups_sync


def sync_role_groups_after_migrate(sender, **kwargs):
    # post_migrate fires once per app that has models; every app's permissions exist only
    # when the last of those has been handled.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.name == with_models[-1].name:
        role_groups_sync()
