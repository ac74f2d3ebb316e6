"""The admin screens: upload → preview → import once; export a course as a file."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import ADMINISTRATOR, TRAINER
from courses.models import CoursePage, LessonPage
from packages.models import ImportStatus, PackageImport
from tests.factories.accounts import UserFactory
from tests.factories.courses import owner_add
from tests.mfa import staff_login

from .conftest import tree, zipped

pytestmark = pytest.mark.django_db


def _staff(client, role):
    user = UserFactory(role=role, is_superuser=role == ADMINISTRATOR)
    staff_login(client, user)
    return user


def _upload(client, data, name="goi.pcmd.zip"):
    return client.post(
        "/admin/course-packages/", {"package": SimpleUploadedFile(name, data)}, follow=True
    )


def test_an_administrator_previews_then_imports_once(client, catalogue):
    admin = _staff(client, ADMINISTRATOR)

    preview = _upload(client, zipped(tree()))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "TINY-101" in html and "q_age" in html and "penal_code_art329" in html
    assert not CoursePage.objects.exists()  # a preview writes nothing but the upload record
    record = PackageImport.objects.get()
    assert record.status == ImportStatus.PREVIEWED and record.uploaded_by == admin

    done = client.post(f"/admin/course-packages/{record.pk}/", {"import": "1"}, follow=True)
    assert done.status_code == 200
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED and record.applied_by == admin
    course = CoursePage.objects.get(code="TINY-101")
    assert not course.live
    assert f"/admin/pages/{course.pk}/edit/" in done.content.decode()

    again = client.post(f"/admin/course-packages/{record.pk}/", {"import": "1"}, follow=True)
    assert again.status_code == 200
    assert CoursePage.objects.count() == 1 and LessonPage.objects.count() == 1


def test_an_invalid_file_is_shown_with_its_reasons_and_not_kept(client):
    _staff(client, ADMINISTRATOR)
    response = _upload(client, b"PK\x03\x04 this is not really a zip")
    record = PackageImport.objects.get()
    assert record.status == ImportStatus.INVALID and not record.file
    assert record.errors[0] in response.content.decode()


def test_an_upload_that_is_not_a_zip_name_is_refused_on_the_form(client):
    _staff(client, TRAINER)
    response = _upload(client, zipped(tree()), name="goi.exe")
    assert response.status_code == 200 and not PackageImport.objects.exists()


def test_an_installed_course_can_be_imported_as_a_copy_with_a_new_code(client, catalogue):
    _staff(client, ADMINISTRATOR)
    data = zipped(tree())
    first = _upload(client, data)
    record = PackageImport.objects.get()
    client.post(f"/admin/course-packages/{record.pk}/", {"import": "1"})
    assert first.status_code == 200

    _upload(client, data)
    second = PackageImport.objects.latest("pk")
    blocked = client.post(
        f"/admin/course-packages/{second.pk}/",
        {"import": "1", "course_0_action": "refuse"},
        follow=True,
    )
    second.refresh_from_db()
    assert second.status == ImportStatus.PREVIEWED
    assert "TINY-101" in blocked.content.decode()
    response = client.post(
        f"/admin/course-packages/{second.pk}/",
        {"import": "1", "course_0_action": "copy", "course_0_code": "TINY-QN"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == ImportStatus.APPLIED
    assert CoursePage.objects.filter(code="TINY-QN").exists()


def test_trainees_are_refused_and_trainers_see_only_their_own_imports(client, catalogue, trainee):
    client.force_login(trainee)
    assert client.get("/admin/course-packages/").status_code in (302, 403)

    other = _staff(client, TRAINER)
    _upload(client, zipped(tree()))
    record = PackageImport.objects.get(uploaded_by=other)
    _staff(client, TRAINER)
    assert client.get(f"/admin/course-packages/{record.pk}/").status_code == 404
    assert client.get("/admin/course-packages/").status_code == 200


def test_a_trainer_exports_a_course_they_can_edit_as_a_checked_package(client, catalogue):
    from tests.factories.courses import course_create, legal_provision_create

    provision = legal_provision_create(key="penal_code_art329")
    course, _lessons = course_create(catalogue, code="EXP-101", lessons=2, provision=provision)
    owner_add(course, _staff(client, TRAINER))

    response = client.get(f"/admin/courses/{course.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('EXP-101.pcmd.zip"')
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    assert {"package.yaml", "courses/EXP-101.yaml", "provisions/provisions.yaml"} <= names
    from packages.reader import package_read_zip

    package = package_read_zip(data)
    assert [len(list(c.steps())) for c in package.courses] == [2]


def test_the_export_button_is_only_for_editors(client, catalogue, trainee):
    from tests.factories.courses import course_create

    course, _lessons = course_create(catalogue, code="EXP-102", lessons=1)
    client.force_login(trainee)
    assert client.get(f"/admin/courses/{course.pk}/export/").status_code in (302, 403)
