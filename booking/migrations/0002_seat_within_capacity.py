"""The database refuses a seat number at or above the location's capacity.

With the exclusion constraint (no two active consultations on one seat at overlapping
times) this caps concurrent consultations at the capacity, whatever code inserts them.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION booking_seat_within_capacity() RETURNS trigger AS $$
BEGIN
    IF NEW.status <> 'cancelled' AND NEW.seat >= (
        SELECT capacity FROM booking_location WHERE id = NEW.location_id
    ) THEN
        RAISE EXCEPTION 'consultation seat beyond location capacity'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'consultation_seat_within_capacity';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER consultation_seat_within_capacity
    BEFORE INSERT OR UPDATE OF seat, location_id, status ON booking_consultation
    FOR EACH ROW EXECUTE FUNCTION booking_seat_within_capacity();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS consultation_seat_within_capacity ON booking_consultation;
DROP FUNCTION IF EXISTS booking_seat_within_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
