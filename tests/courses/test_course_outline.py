"""The course page's list of lessons is rendered once for everyone who sees it with links
(or without) in a language ({% pagecache %} with {% ifmarked %}); each learner's
"Completed" badges are joined in per request, never another learner's, and a change to the
course shows on the next request."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.utils import translation

from accounts.roles import TRAINER
from courses import selectors
from courses.models import LessonPage, ModulePage
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory
from tests.factories.courses import course_create, owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li class="list-group-item d-flex.*?</li>', re.S)
TITLE = re.compile(r'<div class="ms-2 me-auto">\s*(?:<a href="([^"]+)">)?([^<]+)')


def _outline(html: str) -> list[tuple[str, str | None, bool]]:
    """(title, link or None, has the badge) per lesson of the course page, in order."""
    start = html.index('id="outline"')
    rows = []
    for item in ITEM.findall(html[start : html.index("<aside", start)]):
        link, title = TITLE.search(item).groups()
        rows.append((title.strip(), link, "badge text-bg-success" in item))
    return rows


def _learner(client_for, course, name):
    user = UserFactory(email=f"{name}@pcmd.example")
    enrolment_create(user=user, course=course)
    return user, client_for(user)


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        return client

    return make


@pytest.fixture
def course4(catalogue):
    course, lessons = course_create(catalogue, code="PCMD-OL", lessons=2)
    module = course.add_child(instance=ModulePage(title="Phần 2", slug="phan-2"))
    lessons += [
        module.add_child(instance=LessonPage(title=f"Bài {i}", slug=f"bai-{i}", body=[]))
        for i in (3, 4)
    ]
    return course, lessons


def test_each_learner_sees_their_own_badges_from_one_rendering(client_for, course4, monkeypatch):
    course, lessons = course4
    a, client_a = _learner(client_for, course, "a")
    b, client_b = _learner(client_for, course, "b")
    lesson_complete(user=a, course=course, lesson=lessons[0])
    lesson_complete(user=a, course=course, lesson=lessons[3])
    lesson_complete(user=b, course=course, lesson=lessons[1])
    first = _outline(client_a.get(course.url).content.decode())
    renders = []
    original = selectors.outline_sections
    monkeypatch.setattr(
        selectors, "outline_sections", lambda **kw: renders.append(1) or original(**kw)
    )

    seen_a = _outline(client_a.get(course.url).content.decode())
    seen_b = _outline(client_b.get(course.url).content.decode())

    titles = ["Bài 1", "Bài 2", "Bài 3", "Bài 4"]
    assert first == seen_a
    assert seen_a == [
        (t, x.url, t in ("Bài 1", "Bài 4")) for t, x in zip(titles, lessons, strict=True)
    ]
    assert seen_b == [(t, x.url, t == "Bài 2") for t, x in zip(titles, lessons, strict=True)]
    assert renders == []  # both from the one cached rendering


def test_a_completion_shows_on_the_next_request(client_for, course4):
    course, lessons = course4
    a, client_a = _learner(client_for, course, "a")
    assert [done for *_, done in _outline(client_a.get(course.url).content.decode())] == [False] * 4

    lesson_complete(user=a, course=course, lesson=lessons[2])

    assert [done for *_, done in _outline(client_a.get(course.url).content.decode())] == [
        False,
        False,
        True,
        False,
    ]


def test_each_language_has_its_own_outline(client_for, course4):
    course, lessons = course4
    a, client = _learner(client_for, course, "a")
    lesson_complete(user=a, course=course, lesson=lessons[0])
    pages = {}
    for language in ("vi", "en", "vi", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(course.url).content.decode()
        start = html.index('id="outline"')
        pages.setdefault(language, []).append(html[start : html.index("<aside", start)])

    vi, en = pages["vi"], pages["en"]
    assert vi[0] == vi[1] and en[0] == en[1]
    assert vi[0].count(">Đã hoàn thành</span>") == 1 and "phút" in vi[0]
    assert en[0].count(">Completed</span>") == 1 and " min<" in en[0]
    assert "Completed" not in vi[0] and "phút" not in en[0] and "Đã hoàn thành" not in en[0]


def test_a_retitled_added_reordered_or_unpublished_lesson_shows_on_the_next_request(
    client_for, course4
):
    course, lessons = course4
    _a, client = _learner(client_for, course, "a")
    client.get(course.url)

    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.title = "Bài mở đầu đã đổi tên"
    lesson.save_revision().publish()
    assert _outline(client.get(course.url).content.decode())[0][0] == "Bài mở đầu đã đổi tên"

    new = LessonPage(title="Bài thêm", slug="bai-them", body=[], live=False)
    course.add_child(instance=new)
    new.save_revision().publish()
    assert "Bài thêm" in [t for t, *_ in _outline(client.get(course.url).content.decode())]

    LessonPage.objects.get(pk=lessons[1].pk).move(
        LessonPage.objects.get(pk=lessons[0].pk), pos="left"
    )
    titles = [t for t, *_ in _outline(client.get(course.url).content.decode())]
    assert titles.index("Bài 2") < titles.index("Bài mở đầu đã đổi tên")

    LessonPage.objects.get(pk=lessons[3].pk).unpublish()
    titles = [t for t, *_ in _outline(client.get(course.url).content.decode())]
    assert "Bài 4" not in titles and "Bài 3" in titles


def test_links_only_for_the_enrolled_and_the_courses_owners(client_for, course4, trainee):
    course, lessons = course4
    _a, enrolled = _learner(client_for, course, "a")
    outsider = client_for(trainee)
    owner = UserFactory(role=TRAINER, email="owner@pcmd.example")
    owner_add(course, owner)
    previewer = Client()
    staff_login(previewer, owner)
    anonymous = Client()

    # Each order: no variant reaches the other from the cache.
    for _ in range(2):
        with_links = _outline(enrolled.get(course.url).content.decode())
        without = _outline(outsider.get(course.url).content.decode())
        preview = _outline(previewer.get(course.url).content.decode())
        signed_out = _outline(anonymous.get(course.url).content.decode())

        assert [link for _, link, _ in with_links] == [lesson.url for lesson in lessons]
        assert preview == with_links
        assert [link for _, link, _ in without] == [None] * 4
        assert signed_out == without
        assert [t for t, *_ in without] == [t for t, *_ in with_links]


def test_a_withdrawn_learner_sees_no_links_and_no_badges(client_for, course4):
    from courses.services import enrolment_leave

    course, lessons = course4
    a, client = _learner(client_for, course, "a")
    lesson_complete(user=a, course=course, lesson=lessons[0])
    assert _outline(client.get(course.url).content.decode())[0][1:] == (lessons[0].url, True)

    enrolment_leave(user=a, course=course)

    assert [row[1:] for row in _outline(client.get(course.url).content.decode())] == [
        (None, False)
    ] * 4


# The list of lessons as the course page rendered it before it was cached.
OLD_OUTLINE = (Path(__file__).parent / "old_course_outline.html").read_text()


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("enrolled", [True, False])
def test_the_outline_is_the_html_the_page_showed_before(client_for, course4, trainee, enrolled):
    course, lessons = course4
    LessonPage.objects.filter(pk=lessons[1].pk).update(is_required=False)
    if enrolled:
        enrolment_create(user=trainee, course=course)
        lesson_complete(user=trainee, course=course, lesson=lessons[2])
    client = client_for(trainee)
    client.get(course.url)
    html = client.get(course.url).content.decode()  # from the cache

    outline = selectors.course_outline(course=course)
    completed = {lessons[2].pk} if enrolled else set()
    sections = [
        {
            "module": s["module"],
            "lessons": [{"lesson": x, "completed": x.pk in completed} for x in s["lessons"]],
        }
        for s in selectors.outline_sections(outline=outline)
    ]
    with translation.override("vi"):
        old = (
            engines["django"]
            .from_string(OLD_OUTLINE)
            .render({"sections": sections, "enrolment": enrolled, "may_preview": False})
        )
    start = html.index('<h2 class="h5 mt-4" id="outline">')
    shown = html[start : html.index("</div>\n        <aside", start)]
    assert _squeezed(shown) == _squeezed(old)
    assert ("badge text-bg-success" in shown) is enrolled
