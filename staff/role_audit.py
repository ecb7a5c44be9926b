"""Role changes made anywhere are audited, not only those made in the Users admin.

A person's access is their groups (the roles of mindscape/roles.py), any permission given to
them directly, and the ``is_staff``, ``is_superuser`` and ``is_active`` flags.  Changes made
outside the admin (``manage.py shell``, ``createsuperuser``, a data migration, seed_demo)
write a ``role_changed`` entry here, from Django's signals, with no actor: there is nobody
signed in to name.  Details are codes only: slugified group names, ``app_label.codename``
of permissions, and the flags' new values.

The Users admin writes one entry of its own, with its actor, for everything a save changed
(staff/admin.py); it marks the account it saves with ``ADMIN_MARK`` so the same change is
not recorded twice.  The mark is on that one object, for that one request: nothing can turn
this auditing off for other saves.

Not covered: ``QuerySet.update()`` and raw SQL, which send no signals.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils.text import slugify

from audit import log as audit

FLAGS = ("is_active", "is_staff", "is_superuser")
# Set by the Users admin on the account it is saving (it audits that save itself).
ADMIN_MARK = "_role_change_audited_by_admin"
_FLAGS_BEFORE = "_role_flags_before"
_REMOVING = "_role_links_removing"
DISPATCH_UIDS = ("staff.role_flags_before", "staff.role_flags_after", "staff.role_links")


def group_code(name: str) -> str:
    """A group's name as a code for the audit log ("Front desk" → "front-desk")."""
    return slugify(name)[:64] or "unnamed"


def _group_codes(pks) -> dict[int, str]:
    rows = Group.objects.filter(pk__in=pks).values_list("pk", "name")
    return {pk: group_code(name) for pk, name in rows}


def _permission_codes(pks) -> dict[int, str]:
    rows = Permission.objects.filter(pk__in=pks).values_list(
        "pk", "content_type__app_label", "codename"
    )
    return {pk: f"{app}.{codename}".lower()[:64] for pk, app, codename in rows}


def _relations() -> dict:
    """through model → (its column for the other side, detail key prefix, labeller)."""
    User = get_user_model()
    return {
        User.groups.through: ("group_id", "groups", _group_codes),
        User.user_permissions.through: ("permission_id", "permissions", _permission_codes),
    }


# --- Flags ----------------------------------------------------------------------------------


def flags_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return  # e.g. last_login at every sign-in: no extra query
    before = sender._default_manager.filter(pk=instance.pk).values(*FLAGS).first()
    setattr(instance, _FLAGS_BEFORE, before)


def flags_after(sender, instance, created, raw=False, **kwargs):
    before = instance.__dict__.pop(_FLAGS_BEFORE, None)
    if raw or getattr(instance, ADMIN_MARK, False):
        return
    if created:
        # A new account is active unless said otherwise: only access it was given counts.
        detail = {flag: True for flag in ("is_staff", "is_superuser") if getattr(instance, flag)}
    elif before is None:
        return
    else:
        detail = {
            flag: getattr(instance, flag)
            for flag in FLAGS
            if before[flag] != getattr(instance, flag)
        }
    if detail:
        audit.record(None, "role_changed", instance, detail)


# --- Groups and direct permissions ----------------------------------------------------------


def _links(through, column, instance, reverse, pk_set) -> set[tuple[int, int]]:
    """(user pk, group or permission pk) rows about to be removed (pk_set None: all)."""
    mine, theirs = (column, "user_id") if reverse else ("user_id", column)
    rows = through._default_manager.filter(**{mine: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{theirs}__in": pk_set})
    return {(user, other) for user, other in rows.values_list("user_id", column)}


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    relation = _relations().get(sender)
    if relation is None:
        return
    column, key, labels = relation
    if action in ("pre_remove", "pre_clear"):
        removing = _links(sender, column, instance, reverse, pk_set)
        instance.__dict__.setdefault(_REMOVING, {})[sender] = removing
        return
    if action == "post_add":
        links = {(other, instance.pk) if reverse else (instance.pk, other) for other in pk_set}
        verb = "added"
    elif action in ("post_remove", "post_clear"):
        links = instance.__dict__.get(_REMOVING, {}).pop(sender, set())
        verb = "removed"
    else:
        return
    if not links or (not reverse and getattr(instance, ADMIN_MARK, False)):
        return
    names = labels({other for _, other in links})
    per_user = defaultdict(list)
    for user_pk, other in links:
        per_user[user_pk].append(names.get(other, "deleted"))
    users = {instance.pk: instance} if not reverse else get_user_model().objects.in_bulk(per_user)
    for user_pk, codes in sorted(per_user.items()):
        if user_pk in users:
            detail = {f"{key}_{verb}": sorted(codes)}
            audit.record(None, "role_changed", users[user_pk], detail)


def _receivers():
    User = get_user_model()
    before_uid, after_uid, links_uid = DISPATCH_UIDS
    yield pre_save, flags_before, User, before_uid
    yield post_save, flags_after, User, after_uid
    for through in _relations():
        yield m2m_changed, links_changed, through, f"{links_uid}.{through._meta.label_lower}"


def connect() -> None:
    for signal, receiver, sender, uid in _receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect() -> None:
    """For the test harness only: staff accounts made as a test's setup are not events
    (as tests/signin.py's forced sign-ins write no "signed_in" entry)."""
    for signal, _, sender, uid in _receivers():
        signal.disconnect(sender=sender, dispatch_uid=uid)
