"""Migration 0012: staff alerts gain ``updated_at``; existing rows get when they were sent,
or else when they were created (not the time of the migration)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.builders.intake import STATE, latest, migrate, model

pytestmark = pytest.mark.django_db

BEFORE = ("intake", "0011_consultation_foreign_key")
AFTER = ("intake", "0012_staff_alert_updated_at")


def test_existing_alerts_are_dated_when_sent_or_else_when_created():
    migrate(BEFORE)
    alert_model = STATE["apps"].get_model("intake", "StaffAlert")
    screening = model().objects.create(status="submitted", urgency=2, submitted_at=timezone.now())
    created = timezone.now() - dt.timedelta(days=3)
    sent_at = created + dt.timedelta(minutes=2)
    sent = alert_model.objects.create(screening=screening, kind="urgent_submission")
    failed = alert_model.objects.create(screening=screening, kind="escalation_first")
    alert_model.objects.filter(pk=sent.pk).update(
        created_at=created, sent_at=sent_at, status="sent"
    )
    alert_model.objects.filter(pk=failed.pk).update(created_at=created, status="failed")

    with connection.cursor() as cursor:  # the rows' foreign-key checks, before ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migrate(AFTER)
    alert_model = STATE["apps"].get_model("intake", "StaffAlert")
    updated = dict(alert_model.objects.values_list("pk", "updated_at"))
    assert updated == {sent.pk: sent_at, failed.pk: created}
    migrate(latest())  # as the rest of the suite expects (rolled back with the test anyway)
