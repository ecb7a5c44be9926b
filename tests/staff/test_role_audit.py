"""Role changes made outside the admin (shell, createsuperuser, migrations) are audited too:
group membership from either side, direct permissions, and the access flags; once each."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit.models import AuditEntry
from mindscape import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def person():
    return UserFactory(is_staff=False)


@pytest.fixture
def changes():
    """``changes()`` → (actor, object pk, detail) of the role changes since the fixture."""
    start = AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    def since():
        entries = AuditEntry.objects.filter(action="role_changed", pk__gt=start).order_by("pk")
        return [(e.actor, e.object_pk, e.detail) for e in entries]

    return since


def group(role):
    return Group.objects.get(name=role)


def test_joining_and_leaving_a_group_is_audited_without_an_actor(person, changes):
    person.groups.add(group(roles.CLINICIAN))
    person.groups.add(group(roles.CLINICIAN))  # already a member: nothing changes
    person.groups.remove(group(roles.FRONT_DESK))  # never a member: nothing changes
    person.groups.remove(group(roles.CLINICIAN))
    me = str(person.pk)
    assert changes() == [
        (None, me, {"groups_added": ["clinician"]}),
        (None, me, {"groups_removed": ["clinician"]}),
    ]


def test_set_and_clear_record_what_actually_changed(person, changes):
    person.groups.add(group(roles.CLINICIAN), group(roles.FRONT_DESK))
    person.groups.set([group(roles.FRONT_DESK), group(roles.CONTENT_EDITOR)])
    person.groups.clear()
    me = str(person.pk)
    assert changes() == [
        (None, me, {"groups_added": ["clinician", "front-desk"]}),
        (None, me, {"groups_removed": ["clinician"]}),
        (None, me, {"groups_added": ["content-editor"]}),
        (None, me, {"groups_removed": ["content-editor", "front-desk"]}),
    ]


def test_changes_from_the_group_side_name_each_person(changes):
    ana, ben = UserFactory(), UserFactory()
    reviewers = group(roles.MEDICAL_REVIEWER)
    reviewers.user_set.add(ana, ben)
    reviewers.user_set.remove(ben)
    assert changes() == [
        (None, str(ana.pk), {"groups_added": ["medical-reviewer"]}),
        (None, str(ben.pk), {"groups_added": ["medical-reviewer"]}),
        (None, str(ben.pk), {"groups_removed": ["medical-reviewer"]}),
    ]
    reviewers.user_set.clear()
    assert changes()[-1] == (None, str(ana.pk), {"groups_removed": ["medical-reviewer"]})


def test_permissions_given_directly_are_audited_as_codes(person, changes):
    export = Permission.objects.get(codename="export_consultation")
    person.user_permissions.add(export)
    person.user_permissions.remove(export)
    me = str(person.pk)
    assert changes() == [
        (None, me, {"permissions_added": ["booking.export_consultation"]}),
        (None, me, {"permissions_removed": ["booking.export_consultation"]}),
    ]


def test_flag_changes_are_audited_with_their_new_values(person, changes):
    person.is_staff = True
    person.is_superuser = True
    person.save()
    person.first_name = "Renamed"
    person.save()  # no access changed
    person.is_active = False
    person.save(update_fields=["is_active"])
    me = str(person.pk)
    assert changes() == [
        (None, me, {"is_staff": True, "is_superuser": True}),
        (None, me, {"is_active": False}),
    ]


def test_new_accounts_are_audited_only_when_given_access(changes):
    plain = User.objects.create_user("plain", password="a-long-test-password-42")
    boss = User.objects.create_superuser("boss", password="a-long-test-password-42")
    assert changes() == [(None, str(boss.pk), {"is_staff": True, "is_superuser": True})]
    assert plain.pk


def test_a_sign_in_stamp_costs_no_extra_query(person, django_assert_num_queries):
    with django_assert_num_queries(1):  # the UPDATE of last_login alone
        person.save(update_fields=["last_login"])


def test_the_admin_records_one_entry_with_its_actor_never_a_second(
    staff_client, staff_user, changes
):
    colleague = staff_user(roles.FRONT_DESK)
    client = staff_client(roles.ADMINISTRATOR)
    start = changes()
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    response = client.post(
        url,
        {
            "username": colleague.username,
            "is_active": "on",
            "is_staff": "on",
            "groups": [group(roles.CLINICIAN).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert changes()[len(start) :] == [
        (
            client.user,
            str(colleague.pk),
            {"groups_added": ["clinician"], "groups_removed": ["front-desk"]},
        )
    ]
    # The mark that kept the signals quiet held for that save only.
    colleague.refresh_from_db()
    colleague.groups.add(group(roles.CONTENT_EDITOR))
    assert changes()[-1] == (None, str(colleague.pk), {"groups_added": ["content-editor"]})


def test_adding_an_account_in_the_admin_records_nothing_twice(staff_client, changes):
    client = staff_client(roles.ADMINISTRATOR)
    start = changes()
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-long-new-password-77",
            "password2": "a-long-new-password-77",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert changes()[len(start) :] == []  # no access yet: given on the next page, audited


def test_access_comes_from_roles_only_no_per_person_permissions_in_the_admin(
    staff_client, person, changes
):
    client = staff_client(roles.ADMINISTRATOR)
    url = reverse("admin:auth_user_change", args=[person.pk])
    page = client.get(url)
    assert b'name="groups"' in page.content
    assert b'name="user_permissions"' not in page.content
    export = Permission.objects.get(codename="export_consultation")
    response = client.post(
        url,
        {
            "username": person.username,
            "is_active": "on",
            "user_permissions": [export.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert not person.user_permissions.exists()
