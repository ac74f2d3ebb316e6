"""Wagtail's initial data and our role groups were named in English; migrations rename
what is still as it was made and leave an administrator's own names alone."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupApprovalTask, Page, Task, Workflow

pytestmark = pytest.mark.django_db

home_0003 = importlib.import_module("home.migrations.0003_vietnamese_names_for_wagtail_defaults")
accounts_0002 = importlib.import_module("accounts.migrations.0002_vietnamese_role_group_names")


def test_wagtails_default_names_become_vietnamese_and_back(home_page):
    from accounts.services import role_groups_sync

    role_groups_sync()  # brings back the root collection if an earlier test flushed it
    Group.objects.filter(name__in=["Biên tập viên", "Người kiểm duyệt"]).delete()
    editors = Group.objects.create(name="Editors")
    Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors (ours)")
    Workflow.objects.update(name="Moderators approval")  # as a database made before 0003
    Task.objects.update(name="Moderators approval")
    workflow = Workflow.objects.create(name="Moderators approval")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    Page.objects.filter(depth=1).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1).update(name="Root")

    home_0003.rename(apps, None)

    editors.refresh_from_db()
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert editors.name == "Biên tập viên"
    assert Group.objects.filter(name="Người kiểm duyệt").exists()
    assert Group.objects.filter(name="Editors (ours)").exists()
    assert workflow.name == task.name == "Phê duyệt của người kiểm duyệt"
    assert Page.objects.get(depth=1).title == "Gốc"
    assert Collection.get_first_root_node().name == "Gốc"

    home_0003.rename_back(apps, None)
    editors.refresh_from_db()
    assert editors.name == "Editors"


def test_english_role_groups_are_renamed_keeping_their_members():
    from accounts.roles import TRAINER
    from tests.factories.accounts import UserFactory

    trainer = UserFactory(role=TRAINER)
    Group.objects.filter(name=TRAINER).update(name="Trainer")

    accounts_0002.rename(apps, None)

    group = Group.objects.get(name=TRAINER)
    assert not Group.objects.filter(name="Trainer").exists()
    assert trainer in group.user_set.all()
    assert group.permissions.filter(codename="access_admin").exists()
