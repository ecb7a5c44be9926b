from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MindscapeConfig(AppConfig):
    name = "mindscape"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import roles

        # Groups are (re)built after every migrate and every test-database flush.
        post_migrate.connect(roles.sync_groups, dispatch_uid="mindscape.sync_groups")
