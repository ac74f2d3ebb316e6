"""The demo's in-person session (development only): an optional face-to-face step in the
foundation course, with a session under way now (to try the check-in) and one next week."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage

from .models import TrainingSession, TrainingSessionPage

DEMO_COURSE = "PCMD-101"
DEMO_TRAINER = "giangvien@pcmd.example"


def demo_sessions_ensure() -> TrainingSessionPage | None:
    """Idempotent: the step and its sessions are made once."""
    course = CoursePage.objects.filter(code=DEMO_COURSE).first()
    if course is None:
        return None
    step = TrainingSessionPage.objects.descendant_of(course).first()
    if step is None:
        step = course.add_child(
            instance=TrainingSessionPage(
                title="Tập huấn trực tiếp: nhận diện và hỗ trợ nạn nhân",
                slug="tap-huan-truc-tiep",
                intro=(
                    "<p>Buổi thực hành trực tiếp theo nhóm liên ngành: xử lý tình huống, "
                    "phỏng vấn thân thiện với nạn nhân và chuyển gửi hỗ trợ.</p>"
                ),
                is_required=False,
            )
        )
    if not TrainingSession.objects.filter(step=step).exists():
        trainer = get_user_model().objects.filter(email=DEMO_TRAINER).first()
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        plan = [
            (now - timedelta(minutes=30), "Hội trường Công an thành phố Hà Nội, tầng 2", 30),
            (now + timedelta(days=7), "Phòng họp số 3, Viện kiểm sát nhân dân TP Hà Nội", 2),
        ]
        sessions = [
            TrainingSession.objects.create(
                step=step,
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                place=place,
                address="Số 87 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
                capacity=capacity,
                organising_unit=trainer.organisation if trainer else None,
            )
            for starts, place, capacity in plan
        ]
        if trainer is not None:
            for session in sessions:
                session.trainers.add(trainer)
    return step
