"""A role's group does not depend on the interface language: creating, promoting and demoting
staff in English gives exactly the same groups and permissions as in Bahasa Indonesia."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from accounts.models import StaffProfile
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import ensure_role_groups, set_role
from tests.conftest import KAB, KEC_A, PASSWORD, client_for, make_persona

User = get_user_model()
LANGUAGES = [code for code, _name in settings.LANGUAGES]
ADMIN_ONLY = "accounts.manage_staff"


def fresh(user):
    """The user again from the database: ``has_perm`` caches the permissions per instance."""
    return User.objects.get(pk=user.pk)


def group_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_creates_promotes_and_demotes_in_every_language(db, language):
    with translation.override(language):
        user = User.objects.create_user("siti", password=PASSWORD)
        set_role(user, Role.ADMIN_DINAS, KAB)
        assert group_names(user) == ["admin_dinas"]
        assert fresh(user).has_perm(ADMIN_ONLY)

        set_role(user, Role.PIMPINAN, KAB)  # demoted
        assert group_names(user) == ["pimpinan"]
        assert not fresh(user).has_perm(ADMIN_ONLY)
        assert fresh(user).has_perm("households.export_household")

        set_role(user, Role.OPERATOR_KECAMATAN, KEC_A)
        set_role(user, Role.ADMIN_DINAS, KAB)  # promoted
        assert group_names(user) == ["admin_dinas"]
        assert fresh(user).has_perm(ADMIN_ONLY)
    role_groups = set(Group.objects.values_list("name", flat=True))
    assert role_groups == {role.value for role in Role}, "no group per language"


def new_staff(username, role, kecamatan=""):
    return {
        "username": username,
        "first_name": "Siti Aminah",
        "email": "",
        "phone": "",
        "role": role,
        "kecamatan": kecamatan,
        "desa": "",
        "password": "Kenanga-Tujuh-77",
        "password_confirm": "Kenanga-Tujuh-77",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_create_promote_and_demote_in_every_language(db, language):
    admin = make_persona("district_admin", Role.ADMIN_DINAS, KAB)
    client = client_for(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.post(reverse("accounts:staff_create"), new_staff("baru", Role.ADMIN_DINAS))
    assert response.status_code == 302
    created = User.objects.get(username="baru")
    assert group_names(created) == ["admin_dinas"]
    assert fresh(created).has_perm(ADMIN_ONLY)
    # The new admin can really manage staff, in the language they work in.
    new_client = client_for(created)
    new_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert new_client.get(reverse("accounts:staff_list")).status_code == 200

    edit_url = reverse("accounts:staff_update", args=[created.pk])
    edit = {**new_staff("baru", Role.PIMPINAN), "password": "", "password_confirm": ""}
    assert client.post(edit_url, edit).status_code == 302
    assert group_names(created) == ["pimpinan"]
    assert not fresh(created).has_perm(ADMIN_ONLY)
    assert new_client.get(reverse("accounts:staff_list")).status_code == 403

    promote = {**edit, "role": Role.OPERATOR_KECAMATAN, "kecamatan": KEC_A}
    assert client.post(edit_url, promote).status_code == 302
    assert group_names(created) == ["operator_kecamatan"]
    assert fresh(created).has_perm("households.verify_dataupdate")
    assert not fresh(created).has_perm("households.view_importjob")


def test_ensure_role_groups_keeps_one_group_per_role_in_every_language(db):
    for language in LANGUAGES:
        with translation.override(language):
            ensure_role_groups()
    assert Group.objects.count() == len(Role)
    for role in Role:
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role.value).permissions.select_related("content_type")
        }
        assert granted == set(ROLE_PERMISSIONS[role]), role


def test_migration_merges_the_groups_named_by_label(db):
    """A database from before: the Indonesian groups with the permissions, English strays made
    by staff pages in English, and a demoted admin in both groups."""
    from importlib import import_module

    merge_groups = import_module("accounts.migrations.0002_role_groups_by_value").merge_groups
    Group.objects.all().delete()
    manage_staff = Permission.objects.get(codename="manage_staff")
    admin_id = Group.objects.create(name="Admin Dinas")
    admin_id.permissions.add(manage_staff)
    admin_en = Group.objects.create(name="Office admin")
    head_id = Group.objects.create(name="Pimpinan")
    head_en = Group.objects.create(name="Management")
    partner_en = Group.objects.create(name="Service partner")
    unrelated = Group.objects.create(name="Tim TI")

    def staff(username, role, *groups):
        user = User.objects.create_user(username, password=PASSWORD)
        StaffProfile.objects.create(user=user, role=role, area_code=KAB)
        user.groups.add(*groups)
        return user

    old_admin = staff("old_admin", Role.ADMIN_DINAS, admin_id)
    english_admin = staff("english_admin", Role.ADMIN_DINAS, admin_en)
    demoted = staff("demoted", Role.PIMPINAN, admin_id, head_en)
    head = staff("head", Role.PIMPINAN, head_id, unrelated)
    partner = staff("partner", Role.MITRA_LAYANAN, partner_en)

    merge_groups(apps, None)

    assert set(Group.objects.values_list("name", flat=True)) == {
        "admin_dinas",
        "pimpinan",
        "mitra_layanan",
        "Tim TI",
    }
    assert Group.objects.get(name="admin_dinas").pk == admin_id.pk, "renamed, not copied"
    assert group_names(old_admin) == ["admin_dinas"]
    assert group_names(english_admin) == ["admin_dinas"]
    assert group_names(demoted) == ["pimpinan"], "the old role's group is gone"
    assert group_names(head) == ["Tim TI", "pimpinan"], "groups of no role are kept"
    assert group_names(partner) == ["mitra_layanan"]
    assert fresh(english_admin).has_perm(ADMIN_ONLY)
    assert not fresh(demoted).has_perm(ADMIN_ONLY)

    ensure_role_groups()
    assert Group.objects.count() == len(Role) + 1
    assert fresh(english_admin).has_perm(ADMIN_ONLY)
