"""The clinician's summary never shows fewer flags than were raised: codes stored when the
form was sent are listed even when today's answers no longer evaluate, and crisis wording in
a form not sent shows a row too."""

import datetime as dt

import pytest
from django.urls import reverse

from intake import flagging, summary
from intake.models import Screening
from mindscape import roles
from tests.builders.intake import NEW_YORK, left_draft, submitted

pytestmark = pytest.mark.django_db


def flag_rows(staff_client, screening) -> str:
    response = staff_client(roles.CLINICIAN).get(
        reverse("admin:intake_screening_change", args=[screening.pk])
    )
    assert response.status_code == 200
    return response.content.decode().split('id="flags-h"')[1].split("</section>")[0]


def test_stored_flags_are_shown_when_the_answers_no_longer_evaluate(staff_client):
    screening = submitted(6)  # psychosis: a caution
    assert screening.flag_codes == ["psychosis"]
    # An answer set from an older version of the questions: one now required is missing.
    prescreen = dict(screening.answers["prescreen"])
    del prescreen["heart_disease"]
    screening.answers = {**screening.answers, "prescreen": prescreen}
    screening.save(update_fields=["answers"])
    with pytest.raises(flagging.IncompleteAnswers):
        flagging.evaluate(prescreen)

    (row,) = summary.clinician_summary(screening).flags
    assert (row["code"], row["severity"]) == ("psychosis", "caution")
    assert row["reason"].startswith("Reports a psychotic illness")
    html = flag_rows(staff_client, screening)
    assert "No flags." not in html
    assert '<th scope="row">psychosis</th><td>caution</td>' in html
    assert "(see every answer below)" in html


def test_a_stored_flag_todays_answers_do_not_raise_is_still_shown(staff_client):
    screening = submitted(6)
    # Raised when sent (say, under a threshold since changed), not by today's evaluation.
    Screening.objects.filter(pk=screening.pk).update(
        flag_codes=["psychosis", "blood_pressure_systolic_high", "retired_flag"]
    )
    screening.refresh_from_db()
    rows = {row["code"]: row for row in summary.clinician_summary(screening).flags}
    assert list(rows) == ["psychosis", "blood_pressure_systolic_high", "retired_flag"]
    assert rows["psychosis"]["answer"] == "Yes"  # evaluated: the answer behind it
    assert rows["blood_pressure_systolic_high"]["reason"] == "Raised when the form was sent."
    assert rows["retired_flag"]["severity"] == "flag"
    html = flag_rows(staff_client, screening)
    for code in rows:
        assert f'<th scope="row">{code}</th>' in html


def test_crisis_wording_in_a_form_not_sent_shows_a_row(staff_client):
    left = left_draft(3, last_touched=dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK))
    left.answers = {"phq9": {"q9": 0}, "history": {"goals": "I want to end my life"}}
    left.save(update_fields=["answers"])
    assert left.flag_codes == []
    (row,) = summary.clinician_summary(left).flags
    assert row["code"] == "crisis_wording"
    html = flag_rows(staff_client, left)
    assert '<th scope="row">crisis_wording</th><td>risk</td>' in html
    assert "No flags." not in html


def test_a_calm_form_not_sent_has_no_flags(staff_client):
    left = left_draft(None, last_touched=dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK))
    assert summary.clinician_summary(left).flags == []
    assert "No flags." in flag_rows(staff_client, left)
