from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from mindscape import adminkit

        from . import log, words

        # Every app's audited admin (mindscape.adminkit) writes and reads this log.
        adminkit.use_audit_log(record=log.record, history=words.history)
