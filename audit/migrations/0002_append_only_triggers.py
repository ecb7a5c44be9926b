"""The audit app owns the triggers that make its table append-only.

mindscape's migration 0002 made them when the audit log lived in the project package; this
one replaces them with the audit app's own function and triggers (same rule, same
table), so the app that holds the log also holds what protects it.  Reversing it gives the
old names back.  The rule: every UPDATE and DELETE on the audit table is refused, whoever
sends it (the admin, the ORM, raw SQL), except clearing ``actor_id`` when a staff account is
deleted (``on_delete=SET_NULL``).  TRUNCATE is not blocked: it is how test databases are
flushed, and only the database owner can run it.
"""

from django.db import migrations

RULE = """
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.at, NEW.actor_username, NEW.action, NEW.content_type_id,
            NEW.object_pk, NEW.object_label, NEW.detail)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_username, OLD.action, OLD.content_type_id,
            OLD.object_pk, OLD.object_label, OLD.detail)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
"""


def triggers(prefix: str) -> str:
    return f"""
CREATE FUNCTION {prefix}_append_only() RETURNS trigger LANGUAGE plpgsql AS $${RULE}$$;

CREATE TRIGGER {prefix}_no_update
    BEFORE UPDATE ON mindscape_auditentry
    FOR EACH ROW EXECUTE FUNCTION {prefix}_append_only();

CREATE TRIGGER {prefix}_no_delete
    BEFORE DELETE ON mindscape_auditentry
    FOR EACH ROW EXECUTE FUNCTION {prefix}_append_only();
"""


def drop(prefix: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {prefix}_no_delete ON mindscape_auditentry;
DROP TRIGGER IF EXISTS {prefix}_no_update ON mindscape_auditentry;
DROP FUNCTION IF EXISTS {prefix}_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("mindscape", "0002_audit_append_only"),
    ]

    operations = [
        # One statement list: the table is never without its triggers in between.
        migrations.RunSQL(
            drop("mindscape_audit") + triggers("audit_entry"),
            drop("audit_entry") + triggers("mindscape_audit"),
        )
    ]
