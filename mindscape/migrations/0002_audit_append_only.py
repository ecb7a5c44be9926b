"""The database refuses to change or delete audit entries.

Row-level triggers reject every UPDATE and DELETE on the audit table, whoever sends it
(the admin, the ORM, raw SQL).  One update is allowed: clearing ``actor_id`` when a staff
account is deleted (``on_delete=SET_NULL``); the username snapshot and everything else stay.
TRUNCATE is not blocked: it is how test databases are flushed, and only the database owner
can run it.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION mindscape_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
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
$$;

CREATE TRIGGER mindscape_audit_no_update
    BEFORE UPDATE ON mindscape_auditentry
    FOR EACH ROW EXECUTE FUNCTION mindscape_audit_append_only();

CREATE TRIGGER mindscape_audit_no_delete
    BEFORE DELETE ON mindscape_auditentry
    FOR EACH ROW EXECUTE FUNCTION mindscape_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS mindscape_audit_no_delete ON mindscape_auditentry;
DROP TRIGGER IF EXISTS mindscape_audit_no_update ON mindscape_auditentry;
DROP FUNCTION IF EXISTS mindscape_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("mindscape", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
