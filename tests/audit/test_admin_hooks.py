"""Every app's audited admin (mindscape.adminkit) writes to the audit app's log, which the
audit app plugs in when it is ready: mindscape imports no app."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from audit import log, words
from audit.models import AuditEntry
from clinic.models import Clinic
from mindscape import adminkit, roles


def test_the_audit_app_plugs_its_log_into_the_admin_mixins():
    assert adminkit.audit_log().record is log.record
    assert adminkit.audit_log().history is words.history


def test_without_the_audit_app_an_audited_admin_refuses_to_work(monkeypatch):
    monkeypatch.setattr(adminkit, "_audit_log", [])
    with pytest.raises(ImproperlyConfigured, match="audit app"):
        adminkit.audit_log()


@pytest.mark.django_db
def test_the_clinic_admin_is_audited_through_it(staff_client):
    client = staff_client(roles.FRONT_DESK)
    clinic = Clinic.load()
    url = reverse("admin:clinic_clinic_change", args=[clinic.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(name="Harbor Clinic")
    for prefix in ("hours", "closures"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(action="changed").get()
    assert (entry.content_type.app_label, entry.object_pk) == ("clinic", str(clinic.pk))
    assert entry.detail == {"fields": ["name"]}
