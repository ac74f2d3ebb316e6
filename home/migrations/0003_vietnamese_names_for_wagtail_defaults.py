"""Wagtail's initial data is named in English ("Root", "Editors", "Moderators approval"),
and those names show throughout the admin. Rename what is still as Wagtail made it; leave
alone anything an administrator has renamed."""

from django.db import migrations

GROUPS = {"Editors": "Biên tập viên", "Moderators": "Người kiểm duyệt"}
APPROVAL = {"Moderators approval": "Phê duyệt của người kiểm duyệt"}
ROOT = {"Root": "Gốc"}


def _rename(model, field, names, reverse=False):
    for old, new in names.items():
        if reverse:
            old, new = new, old
        if not model.objects.filter(**{field: new}).exists():
            model.objects.filter(**{field: old}).update(**{field: new})


def rename(apps, schema_editor, reverse=False):
    _rename(apps.get_model("auth.Group"), "name", GROUPS, reverse)
    _rename(apps.get_model("wagtailcore.Workflow"), "name", APPROVAL, reverse)
    _rename(apps.get_model("wagtailcore.Task"), "name", APPROVAL, reverse)
    _rename(apps.get_model("wagtailcore.Collection"), "name", ROOT, reverse)
    Page = apps.get_model("wagtailcore.Page")
    for old, new in ROOT.items():
        if reverse:
            old, new = new, old
        Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
