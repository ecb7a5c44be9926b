from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mindscape", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-at", "-pk"],
                "permissions": [("export_auditentry", "Can export the audit log (CSV)")],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
            },
        ),
    ]
