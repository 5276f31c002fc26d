"""Role groups are named by the role's stored value, no longer by its (translated) label.

Until now a group was looked up by the label of the active language, so a database may hold the
Indonesian group ("Admin Dinas", with the permissions), an English stray ("Office admin", made
empty when staff were created with the English interface) and users in either or both. Each
role's groups are merged into the one named by its value: users move over, the strays go. Then
every staff member is put in exactly the group of the role on their profile: someone demoted in
English kept the old group and, with it, the old role's permissions. The permissions of the
value-named groups are set again by ``ensure_role_groups`` after ``migrate``.
"""

from django.db import migrations

# The labels as they were when groups carried them (Indonesian source, English catalogue).
# Frozen here: the role labels may change later, the names in old databases do not.
OLD_NAMES = {
    "admin_dinas": ["Admin Dinas", "Office admin"],
    "pimpinan": ["Pimpinan", "Management"],
    "operator_kecamatan": ["Operator kecamatan", "Sub-district operator"],
    "petugas_puskesos": ["Petugas Puskesos", "Puskesos officer"],
    "pendamping": ["Pendamping PKH", "PKH facilitator"],
    "petugas_pengaduan": ["Petugas pengaduan", "Complaints officer"],
    "mitra_layanan": ["Mitra layanan", "Service partner"],
}


def merge_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for value, old_names in OLD_NAMES.items():
        old_groups = list(Group.objects.filter(name__in=old_names).order_by("pk"))
        target = Group.objects.filter(name=value).first()
        if target is None:
            if not old_groups:
                continue
            # The first old group (the Indonesian one where it exists) keeps its id and
            # permissions under the new name.
            target = old_groups.pop(0)
            target.name = value
            target.save(update_fields=["name"])
        for group in old_groups:
            target.user_set.add(*group.user_set.all())
            target.permissions.add(*group.permissions.all())
            group.delete()

    StaffProfile = apps.get_model("accounts", "StaffProfile")
    groups = {group.name: group for group in Group.objects.filter(name__in=OLD_NAMES)}
    for profile in StaffProfile.objects.select_related("user"):
        role_group = groups.get(profile.role)
        if role_group is None:
            role_group = groups[profile.role] = Group.objects.create(name=profile.role)
        others = [group for name, group in groups.items() if name != profile.role]
        profile.user.groups.remove(*others)
        profile.user.groups.add(role_group)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(merge_groups, migrations.RunPython.noop)]
