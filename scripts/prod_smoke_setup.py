"""Data for scripts/prod-smoke.sh, created under the production settings it runs with:
a course of two lessons, three trainees with verified addresses, and an H5P activity in the
object store. Prints what the client needs as one JSON line."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402

from accounts.roles import ADMINISTRATOR  # noqa: E402
from content.h5p.packaging import build_choice_package  # noqa: E402
from content.h5p.services import h5p_content_process  # noqa: E402
from content.h5p.tokens import player_token  # noqa: E402
from content.models import H5PContent, H5PStatus  # noqa: E402
from home.services import site_homepage_ensure  # noqa: E402
from tests.factories.accounts import PASSWORD, UserFactory  # noqa: E402
from tests.factories.courses import catalogue_create, course_create  # noqa: E402

home = site_homepage_ensure()
course, lessons = course_create(
    catalogue_create(home),
    code="PCMD-SMOKE",
    lessons=2,
    blocks=1,
    title="Nhận diện và bảo vệ nạn nhân (kiểm tra vận hành)",
)
trainees = [
    UserFactory(email=f"hocvien{i}@smoke.example", full_name=name)
    for i, name in enumerate(["Nguyễn Thị Minh Anh", "Trần Văn Bình", "Lê Thu Hà"], start=1)
]
admin = UserFactory(email="quantri@smoke.example", role=ADMINISTRATOR, is_superuser=True)
package = build_choice_package(
    title="Nhận diện nạn nhân",
    question="<p>Phát hiện người dưới 18 tuổi tại cơ sở, ưu tiên làm gì?</p>",
    choices=[
        {"text": "Phạt hành chính", "correct": False, "feedback": "Chưa đúng."},
        {"text": "Coi là nạn nhân tiềm năng", "correct": True, "feedback": "Đúng."},
    ],
)
activity = H5PContent.objects.create(
    title="Nhận diện nạn nhân", package=ContentFile(package, name="goi.h5p"), uploaded_by=admin
)
activity = h5p_content_process(content_id=activity.pk)
assert activity.status == H5PStatus.READY, activity.problems

print(
    json.dumps(
        {
            "course": course.pk,
            "course_url": course.url,
            "lessons": [lesson.pk for lesson in lessons],
            "trainees": [{"email": t.email, "id": t.pk} for t in trainees],
            "password": PASSWORD,
            "h5p_token": player_token(content_id=activity.pk, user_id=trainees[0].pk),
            "h5p_folder": activity.content_folder,
        }
    )
)
