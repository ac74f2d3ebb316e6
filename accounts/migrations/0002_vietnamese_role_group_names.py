"""The role groups were named in English, and the admin shows group names as they are
(users' roles, group listings, bulk "assign role"). Rename them to the names in
accounts/roles.py, keeping their members and permissions."""

from django.db import migrations

RENAMED = {
    "Trainee": "Học viên",
    "Trainer": "Giảng viên",
    "HR officer": "Cán bộ nhân sự",
    "Administrator": "Quản trị viên",
}


def rename(apps, schema_editor, names=RENAMED):
    Group = apps.get_model("auth.Group")
    for old, new in names.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
