"""Scenario group "pages": what a trainee opens most — a lesson of 30+ blocks, its course
page, the dashboard and the catalogue — signed in as an enrolled trainee, in a database
with the starter curriculum and --learners generated learners in the same course."""

from __future__ import annotations

from .core import Context, Group, Scenario

COURSE_CODE = "BENCH-301"
MODULES = 3
LESSONS_PER_MODULE = 4
BLOCK_GROUPS = 8  # lesson_body(8, provision): 1 heading + 8 × 4 blocks = 33 blocks


def setup_data(options: dict) -> dict:
    import time

    from django.db import transaction

    from accounts.models import JobRole, User
    from courses.models import CoursePage, Enrolment, LessonPage, ModulePage, StepCompletion
    from courses.services import enrolment_create, step_complete
    from home.services import site_homepage_ensure
    from scripts.bench.django_side import csrf_pair, session_cookie_for
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue_create, legal_provision_create, lesson_body

    started = time.monotonic()
    home = site_homepage_ensure()
    catalogue = catalogue_create(home)
    if not options.get("no_curriculum"):
        from content.h5p.packaging import LIBRARIES_DIR
        from content.h5p.services import h5p_library_install_directory
        from packages.services import curriculum_load

        h5p_library_install_directory(directory=LIBRARIES_DIR / "H5P.PcmdChoice-1.1")
        curriculum_load()
    curriculum_seconds = time.monotonic() - started

    provision = legal_provision_create()
    course = catalogue.add_child(
        instance=CoursePage(
            title="Khóa học đo hiệu năng: nhận diện và bảo vệ nạn nhân",
            slug=COURSE_CODE.lower(),
            code=COURSE_CODE,
            summary="Khóa học sinh tự động cho phép đo hiệu năng.",
            objectives="<ul><li>Nhận diện nạn nhân.</li><li>Phối hợp liên ngành.</li></ul>",
            target_job_roles=[JobRole.INVESTIGATOR],
        )
    )
    lessons = []
    for m in range(MODULES):
        module = course.add_child(instance=ModulePage(title=f"Phần {m + 1}", slug=f"phan-{m + 1}"))
        for i in range(LESSONS_PER_MODULE):
            n = m * LESSONS_PER_MODULE + i + 1
            lessons.append(
                module.add_child(
                    instance=LessonPage(
                        title=f"Bài {n}: tình huống và quy định",
                        slug=f"bai-{n}",
                        body=lesson_body(BLOCK_GROUPS, provision),
                    )
                )
            )
    trainee = UserFactory(email="hocvien.bench@pcmd.example", full_name="Nguyễn Thị Đo Tải")
    trainee.job_role = JobRole.INVESTIGATOR
    trainee.save(update_fields=["job_role"])
    enrolment_create(user=trainee, course=course)
    for lesson in lessons[:4]:
        step_complete(user=trainee, course=course, step=lesson)
    # The trainee is also taking two starter courses, as a real dashboard would show.
    for other in CoursePage.objects.live().exclude(pk=course.pk).order_by("code")[:2]:
        Enrolment.objects.get_or_create(user=trainee, course=other, defaults={"source": "self"})

    learners = int(options.get("learners") or 0)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"hocvien{i:06d}@bench.example",
                    full_name=f"Học viên {i:06d}",
                    job_role=JobRole.INVESTIGATOR,
                    password="!",  # noqa: S106 - unusable, as set_unusable_password writes it
                )
                for i in range(learners)
            ],
            batch_size=5000,
        )
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(user=u, course=course, source="self") for u in users], batch_size=5000
        )
        StepCompletion.objects.bulk_create(
            [
                StepCompletion(enrolment=e, step_id=lessons[i % len(lessons)].pk)
                for i, e in enumerate(enrolments)
            ],
            batch_size=5000,
        )
    lesson = lessons[5]  # not completed, in the second module
    # The cookies a trainee's browser holds after its first page: the session and the CSRF
    # cookie that page set (without it every response would make a new CSRF secret).
    return {
        "cookie": f"{session_cookie_for(trainee)}; {csrf_pair()[0]}",
        "lesson": lesson.url,
        "course": course.url,
        "catalogue": catalogue.url,
        "blocks": len(LessonPage.objects.get(pk=lesson.pk).body),
        "lessons": len(lessons),
        "learners": learners,
        "curriculum_courses": CoursePage.objects.count() - 1,
        "curriculum_seconds": round(curriculum_seconds),
    }


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    cookie = data["cookie"]
    shape = (
        f"{data['blocks']} blocks, {data['lessons']} lessons, {data['learners']} other "
        f"learners, {data['curriculum_courses']} other courses"
    )
    return [
        Scenario(
            name="lesson",
            group="pages",
            path=data["lesson"],
            cookie=cookie,
            goal=0.10,
            probe=True,
            note=f"enrolled trainee, lesson of {shape}",
        ),
        Scenario(
            name="course",
            group="pages",
            path=data["course"],
            cookie=cookie,
            goal=0.10,
            probe=True,
        ),
        Scenario(
            name="dashboard",
            group="pages",
            path="/dashboard/",
            cookie=cookie,
            goal=0.10,
            probe=True,
        ),
        Scenario(
            name="catalogue",
            group="pages",
            path=data["catalogue"],
            cookie=cookie,
            goal=0.15,
            probe=True,
        ),
    ]


GROUP = Group(name="pages", setup_data=setup_data, scenarios=scenarios)
