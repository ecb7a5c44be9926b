"""Every write to what feeds open times gives the location a new generation token.

Triggers, not Python, so that every write path counts: services, the admin, bulk
``update()`` and ``bulk_create()``, the retention job, seeds and raw SQL.  The token is
changed in the writing transaction, so a reader that sees the write sees the new token.

- consultations: a new or deleted row, or a change to where, when, which seat or status
  (once per statement and location: a bulk insert of thousands costs one change each);
- opening windows, which types a location offers, the location itself: that location;
- closures: their location, or every location for a clinic-wide closure (no location);
- consultation types (duration, active): every location;
- TRUNCATE of any of these tables: every location.
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION booking_bump_open_times(location bigint) RETURNS void AS $$
    INSERT INTO booking_availabilitygeneration (location_id, token)
    VALUES (location, gen_random_uuid())
    ON CONFLICT (location_id) DO UPDATE SET token = EXCLUDED.token;
$$ LANGUAGE sql;

CREATE FUNCTION booking_bump_all_open_times() RETURNS void AS $$
    INSERT INTO booking_availabilitygeneration (location_id, token)
    SELECT id, gen_random_uuid() FROM booking_location ORDER BY id
    ON CONFLICT (location_id) DO UPDATE SET token = EXCLUDED.token;
$$ LANGUAGE sql;

-- For tables with a location_id column (windows, type ↔ location links, closures):
-- the old and the new location.  Closures: no location means every location.
CREATE FUNCTION booking_open_times_row_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_TABLE_NAME = 'booking_closure' AND OLD.location_id IS NULL THEN
            PERFORM booking_bump_all_open_times();
        ELSE
            PERFORM booking_bump_open_times(OLD.location_id);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_TABLE_NAME = 'booking_closure' AND NEW.location_id IS NULL THEN
            PERFORM booking_bump_all_open_times();
        ELSIF TG_OP = 'INSERT' OR NEW.location_id IS DISTINCT FROM OLD.location_id THEN
            PERFORM booking_bump_open_times(NEW.location_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Consultations: once per statement (a bulk insert of thousands of rows bumps each location
-- once), for the locations of rows added, removed, or changed in where, when, seat or status.
CREATE FUNCTION booking_open_times_consultations_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM booking_bump_open_times(location_id)
        FROM (SELECT DISTINCT location_id FROM new_rows ORDER BY 1) AS changed;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM booking_bump_open_times(location_id)
        FROM (SELECT DISTINCT location_id FROM old_rows ORDER BY 1) AS changed;
    ELSE
        PERFORM booking_bump_open_times(location_id)
        FROM (
            SELECT DISTINCT unnest(ARRAY[o.location_id, n.location_id]) AS location_id
            FROM old_rows AS o JOIN new_rows AS n USING (id)
            WHERE (o.location_id, o.starts_at, o.blocked_until, o.seat, o.status)
                IS DISTINCT FROM (n.location_id, n.starts_at, n.blocked_until, n.seat, n.status)
            ORDER BY 1
        ) AS changed;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION booking_open_times_location_changed() RETURNS trigger AS $$
BEGIN
    PERFORM booking_bump_open_times(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION booking_open_times_all_changed() RETURNS trigger AS $$
BEGIN
    PERFORM booking_bump_all_open_times();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER open_times_consultation_added
    AFTER INSERT ON booking_consultation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_consultations_changed();
CREATE TRIGGER open_times_consultation_removed
    AFTER DELETE ON booking_consultation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_consultations_changed();
CREATE TRIGGER open_times_consultation_changed
    AFTER UPDATE ON booking_consultation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_consultations_changed();
CREATE TRIGGER open_times_window_changed
    AFTER INSERT OR UPDATE OR DELETE ON booking_openingwindow
    FOR EACH ROW EXECUTE FUNCTION booking_open_times_row_changed();
CREATE TRIGGER open_times_closure_changed
    AFTER INSERT OR UPDATE OR DELETE ON booking_closure
    FOR EACH ROW EXECUTE FUNCTION booking_open_times_row_changed();
CREATE TRIGGER open_times_offer_changed
    AFTER INSERT OR UPDATE OR DELETE ON booking_consultationtype_locations
    FOR EACH ROW EXECUTE FUNCTION booking_open_times_row_changed();
CREATE TRIGGER open_times_location_changed
    AFTER INSERT OR UPDATE OR DELETE ON booking_location
    FOR EACH ROW EXECUTE FUNCTION booking_open_times_location_changed();
CREATE TRIGGER open_times_type_changed
    AFTER INSERT OR UPDATE OR DELETE ON booking_consultationtype
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();

CREATE TRIGGER open_times_consultation_truncated AFTER TRUNCATE ON booking_consultation
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();
CREATE TRIGGER open_times_window_truncated AFTER TRUNCATE ON booking_openingwindow
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();
CREATE TRIGGER open_times_closure_truncated AFTER TRUNCATE ON booking_closure
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();
CREATE TRIGGER open_times_offer_truncated AFTER TRUNCATE ON booking_consultationtype_locations
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();
CREATE TRIGGER open_times_type_truncated AFTER TRUNCATE ON booking_consultationtype
    FOR EACH STATEMENT EXECUTE FUNCTION booking_open_times_all_changed();

SELECT booking_bump_all_open_times();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS open_times_consultation_added ON booking_consultation;
DROP TRIGGER IF EXISTS open_times_consultation_removed ON booking_consultation;
DROP TRIGGER IF EXISTS open_times_consultation_changed ON booking_consultation;
DROP TRIGGER IF EXISTS open_times_window_changed ON booking_openingwindow;
DROP TRIGGER IF EXISTS open_times_closure_changed ON booking_closure;
DROP TRIGGER IF EXISTS open_times_offer_changed ON booking_consultationtype_locations;
DROP TRIGGER IF EXISTS open_times_location_changed ON booking_location;
DROP TRIGGER IF EXISTS open_times_type_changed ON booking_consultationtype;
DROP TRIGGER IF EXISTS open_times_consultation_truncated ON booking_consultation;
DROP TRIGGER IF EXISTS open_times_window_truncated ON booking_openingwindow;
DROP TRIGGER IF EXISTS open_times_closure_truncated ON booking_closure;
DROP TRIGGER IF EXISTS open_times_offer_truncated ON booking_consultationtype_locations;
DROP TRIGGER IF EXISTS open_times_type_truncated ON booking_consultationtype;
DROP FUNCTION IF EXISTS booking_open_times_all_changed();
DROP FUNCTION IF EXISTS booking_open_times_location_changed();
DROP FUNCTION IF EXISTS booking_open_times_consultations_changed();
DROP FUNCTION IF EXISTS booking_open_times_row_changed();
DROP FUNCTION IF EXISTS booking_bump_all_open_times();
DROP FUNCTION IF EXISTS booking_bump_open_times(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("booking", "0005_location_cutoff_help")]

    operations = [
        migrations.CreateModel(
            name="AvailabilityGeneration",
            fields=[
                ("location_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("token", models.UUIDField()),
            ],
            options={"verbose_name": "open-times generation"},
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
