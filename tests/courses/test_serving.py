"""Serving pages from what the cache remembers (content.serving, content.pages,
accounts.navigation): the site, the route from a path to a page, the absence of view
restrictions and the menu's staff links are cached, and each is right again as soon as
what it depends on changes; nothing one person sees reaches another."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from accounts.roles import HR_OFFICER
from content import rendercache
from courses.models import LessonPage
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory
from tests.factories.courses import course_create, lesson_body

pytestmark = pytest.mark.django_db


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _route_keys():
    return [k for k in cache._cache if ":content:route:" in k]  # LocMemCache's own dict


def test_a_cached_route_serves_the_page_in_one_query(client, enrolled, django_assert_num_queries):
    _course, lessons = enrolled
    url = lessons[1].url
    _html(client, url)  # walks the tree and remembers the route
    assert _route_keys()
    # The session (the database in tests) and the page's row: no site, tree walk, ancestor
    # or view-restriction query; the user (accounts.sessionuser), the enrolment and its
    # completions (courses.selectors.enrolment_progress) from the cache.
    with django_assert_num_queries(2):
        assert "Bài 2" in _html(client, url)


def test_the_cached_route_holds_the_page_without_its_body(client, enrolled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _course, lessons = enrolled
    LessonPage.objects.filter(pk=lessons[1].pk).update(body=lesson_body(2))
    _html(client, lessons[1].url)
    [key] = _route_keys()
    _page_id, page = cache.get(key.split(":", 2)[2])
    assert "body" not in page.__dict__  # the lesson renders its body from its own cache

    with CaptureQueriesContext(connection) as captured:
        body = page.body  # read from the copy: loaded then, as a deferred field is
    assert len(captured.captured_queries) == 1
    stored = LessonPage.objects.get(pk=lessons[1].pk).body

    def blocks(value):  # without the ids made up for blocks stored without one
        return [(block["type"], block["value"]) for block in value.get_prep_value()]

    assert blocks(body) == blocks(stored)
    assert [b.block_type for b in body][:2] == ["heading", "paragraph"]


def test_an_unpublished_lesson_is_gone_at_once_from_a_cached_route(client, enrolled):
    _course, lessons = enrolled
    _html(client, lessons[1].url)

    LessonPage.objects.get(pk=lessons[1].pk).unpublish()

    assert client.get(lessons[1].url).status_code == 404


def test_a_moved_lesson_is_served_at_its_new_address_only(client, enrolled, catalogue):
    _course, lessons = enrolled
    other, _ = course_create(catalogue, code="PCMD-MV", lessons=0)
    old_url = lessons[1].url
    _html(client, old_url)

    LessonPage.objects.get(pk=lessons[1].pk).move(other, pos="last-child")

    new_url = LessonPage.objects.get(pk=lessons[1].pk).url
    assert new_url != old_url
    # Not the cached route: Wagtail's redirect made by the move (a 404 from serving).
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, new_url)
    assert client.get(new_url).status_code == 302  # not enrolled there: to its course


def test_a_stale_route_entry_cannot_serve_another_page(client, enrolled):
    """A signal missed (or an entry written by a request that raced a change): the page the
    entry names must still be live at exactly that path, or the tree is walked."""
    _course, lessons = enrolled
    _html(client, lessons[0].url)
    _html(client, lessons[1].url)
    wrong = LessonPage.objects.get(pk=lessons[2].pk)
    for key in _route_keys():  # every remembered route now names lesson 3
        cache.set(key.split(":", 2)[2], (wrong.pk, wrong))
    rendercache.local_forget()  # this process's own copies too

    html = _html(client, lessons[1].url)

    assert '<h1 class="h2">Bài 2' in html
    assert '<h1 class="h2">Bài 3' not in html


@pytest.mark.parametrize(
    "change",
    [
        {"live": False},
        {"url_path": "/elsewhere/"},
        {"last_published_at": datetime(2020, 1, 1, tzinfo=UTC)},
    ],
)
def test_a_cached_page_whose_row_changed_behind_the_models_back_is_not_served(
    client, enrolled, change
):
    """No signal, no generation bump: the row itself tells the cached copy is out of date."""
    _course, lessons = enrolled
    _html(client, lessons[1].url)
    assert any(cache.get(k.split(":", 2)[2])[0] == lessons[1].pk for k in _route_keys())
    Page.objects.filter(pk=lessons[1].pk).update(title="Bài mới", **change)

    response = client.get(lessons[1].url)

    if "live" in change:
        assert response.status_code == 404
    else:  # walked afresh: today's row, not the cached copy
        assert "Bài mới" in response.content.decode()


def test_a_cached_page_is_served_as_its_row_and_each_request_gets_its_own_copy(client, enrolled):
    _course, lessons = enrolled
    _html(client, lessons[1].url)
    [entry] = [v for k in _route_keys() if (v := cache.get(k.split(":", 2)[2]))[0] == lessons[1].pk]
    page = entry[1]
    assert type(page) is LessonPage
    assert "_cached_parent_obj" not in page.__dict__
    assert page._state.fields_cache == {}
    keys = [k.split(":", 2)[2] for k in _route_keys()]
    first = rendercache.cached_get_many(keys)
    assert first  # the process's own copies unpickle anew each time
    second = rendercache.cached_get_many(keys)
    assert all(first[k][1] is not second[k][1] for k in first)


def test_unknown_addresses_are_not_remembered(client, enrolled):
    for i in range(5):
        assert client.get(f"/khong-co-trang-{i}/").status_code == 404
    assert _route_keys() == []


@pytest.mark.parametrize("kind", ["groups", "password"])
def test_a_view_restriction_added_after_pages_were_cached_is_enforced(client, enrolled, kind):
    course, lessons = enrolled
    _html(client, lessons[1].url)
    _html(client, course.url)

    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=course.pk),
        restriction_type=PageViewRestriction.GROUPS if kind == "groups" else "password",
        password="bi-mat-123" if kind == "password" else "",
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.get_or_create(name="Nhóm riêng")[0])

    for url in (lessons[1].url, course.url):
        response = client.get(url)
        html = response.content.decode()
        if kind == "groups":  # not in the group: sent to sign in, nothing of the page
            assert response.status_code == 302, url
        else:
            assert response.status_code == 200, url
            assert 'name="password"' in html, url
        assert '<h1 class="h2">Bài 2' not in html

    restriction.delete()
    assert "Bài 2" in _html(client, lessons[1].url)


def test_a_page_without_restrictions_answers_none_without_a_query(enrolled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course, lessons = enrolled
    lesson = LessonPage.objects.get(pk=lessons[1].pk)
    lesson.get_view_restrictions()  # the cached paths read once
    with CaptureQueriesContext(connection) as captured:
        restrictions = lesson.get_view_restrictions()
        assert list(restrictions) == [] and not restrictions.exists()
        assert not restrictions.filter(restriction_type="password").exists()
    assert captured.captured_queries == []

    PageViewRestriction.objects.create(page=Page.objects.get(pk=course.pk), password="bi-mat-1")
    assert [r.password for r in lesson.get_view_restrictions()] == ["bi-mat-1"]


def test_a_new_site_host_is_served_from_its_own_root(client, enrolled, home_page):
    _course, lessons = enrolled
    _html(client, lessons[0].url)
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.objects.get(pk=lessons[0].get_parent().pk)  # now the course
    site.save()

    # The lesson's old address no longer exists under the new root; its new one does.
    assert client.get(lessons[0].url).status_code == 404
    assert '<h1 class="h2">Bài 1' in _html(client, f"/{lessons[0].slug}/")


def test_the_menu_follows_a_role_given_and_taken_and_stays_per_person(client, trainee, enrolled):
    hr_url = reverse("certificates:hr")
    course, lessons = enrolled
    trainee_html = _html(client, lessons[0].url)
    assert hr_url not in trainee_html
    officer = UserFactory(email="nhansu@pcmd.example", role=HR_OFFICER)
    enrolment_create(user=officer, course=course)
    other = client.__class__()
    other.force_login(officer)
    assert hr_url in _html(other, lessons[0].url)
    # The trainee's cached menu is theirs ...
    assert hr_url not in _html(client, lessons[0].url)

    # ... and follows a role given to them, and taken back; and a group's permissions.
    hr_group = Group.objects.get(name=HR_OFFICER)
    trainee.groups.add(hr_group)
    assert hr_url in _html(client, lessons[0].url)
    trainee.groups.remove(hr_group)
    assert hr_url not in _html(client, lessons[0].url)
    hr_group.permissions.clear()
    assert hr_url not in _html(other, lessons[0].url)


def test_each_learner_sees_their_own_progress_on_cached_pages(client, trainee, enrolled):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    other_user = UserFactory(email="hocvien2@pcmd.example", full_name="Lê Văn Học")
    enrolment_create(user=other_user, course=course)
    other = client.__class__()
    other.force_login(other_user)

    mine = _html(client, lessons[0].url)
    theirs = _html(other, lessons[0].url)

    assert 'action="/learn/' not in mine  # completed: no completion button
    assert 'action="/learn/' in theirs and "complete" in theirs
    assert "Nguyễn Thị Minh Anh" in mine and "Nguyễn Thị Minh Anh" not in theirs
    assert "Lê Văn Học" in theirs and "Lê Văn Học" not in mine
    # The lessons beside the lesson: one cached rendering, each learner's own marks.
    assert mine.count('aria-hidden="true"> ✓</span>') == 1
    assert theirs.count('aria-hidden="true"> ✓</span>') == 0
    assert _html(client, course.url).count("badge text-bg-success") == 1
    assert _html(other, course.url).count("badge text-bg-success") == 0


def test_the_generation_is_read_once_per_request_and_afresh_outside_requests(client, enrolled):
    _course, lessons = enrolled
    _html(client, lessons[0].url)
    before = rendercache.generation()
    cache.incr(rendercache.GENERATION_KEY)  # another process bumps it

    assert rendercache.generation() == before + 1


def test_a_required_activity_published_into_a_cached_lesson_is_required_at_once(
    client, trainee, enrolled
):
    from django.core.files.base import ContentFile

    from content.models import H5PContent

    course, lessons = enrolled
    complete_url = reverse("courses:complete_lesson", args=[course.pk, lessons[0].pk])
    assert complete_url in _html(client, lessons[0].url)  # no activity: the button
    activity = H5PContent.objects.create(
        title="Hoạt động", package=ContentFile(b"PK", name="a.h5p"), uploaded_by=trainee
    )
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.body = [
        {
            "type": "h5p_activity",
            "value": {"activity": activity.pk, "required": True, "pass_threshold": 80},
        }
    ]
    lesson.save_revision().publish()

    assert complete_url not in _html(client, lessons[0].url)


def test_a_bump_by_another_process_reaches_this_processs_own_copies(client, enrolled):
    """Each process keeps its own copies of generation-keyed entries (content.rendercache);
    a change made elsewhere (another worker's publish) bumps the shared generation only."""
    course, lessons = enrolled
    assert "Bài 2" in _html(client, course.url)
    Page.objects.filter(pk=lessons[1].pk).update(title="Bài đã đổi tên")  # no signal here
    assert "Bài đã đổi tên" not in _html(client, course.url)  # this process's copy

    cache.incr(rendercache.GENERATION_KEY)  # what the other process's signal did

    assert "Bài đã đổi tên" in _html(client, course.url)


def test_a_lost_generation_never_comes_back_as_an_old_number(enrolled, client):
    _course, lessons = enrolled
    _html(client, lessons[0].url)
    before = rendercache.generation()

    cache.delete(rendercache.GENERATION_KEY)  # Redis restarted, or the key evicted

    assert rendercache.generation() > before


def _marks(html):
    return html.count('aria-hidden="true"> ✓</span>')


def test_a_step_completed_shows_on_the_next_lesson_and_course_view(client, trainee, enrolled):
    """The enrolment and its completions come from the cache: completing a step (a POST
    through the view, as a trainee does) is on the very next GET of either page."""
    course, lessons = enrolled
    assert _marks(_html(client, lessons[1].url)) == 0  # both pages cached with nothing done
    assert _html(client, course.url).count("badge text-bg-success") == 0
    _html(client, lessons[0].url)  # a lesson opened: the entry is kept (the position moves)

    response = client.post(reverse("courses:complete_lesson", args=[course.pk, lessons[0].pk]))
    assert response.status_code == 302

    assert _marks(_html(client, lessons[1].url)) == 1
    assert _html(client, course.url).count("badge text-bg-success") == 1
    assert 'action="/learn/' not in _html(client, lessons[0].url)  # no completion button


def test_restart_leave_and_a_flushed_position_are_seen_at_once(client, trainee, enrolled):
    from courses.models import Enrolment, EnrolmentStatus
    from courses.positions import positions_flush
    from courses.selectors import active_enrolment_progress, enrolment_progress
    from courses.services import enrolment_restart

    course, lessons = enrolled
    for lesson in lessons:
        lesson_complete(user=trainee, course=course, lesson=lesson)
    assert enrolment_progress(user=trainee, course_id=course.pk)[0].is_completed
    assert "badge text-bg-success" in _html(client, course.url)

    enrolment_restart(user=trainee, course=course)
    enrolment, done = enrolment_progress(user=trainee, course_id=course.pk)
    assert (enrolment.status, done) == (EnrolmentStatus.ACTIVE, set())
    assert _html(client, course.url).count("badge text-bg-success") == 0

    client.get(lessons[2].url)  # the position: in the cache, flushed to the row
    assert positions_flush() == 1
    assert enrolment_progress(user=trainee, course_id=course.pk)[0].last_step_id == lessons[2].pk

    Enrolment.objects.filter(user=trainee).update(status=EnrolmentStatus.WITHDRAWN)
    # Behind the models' back (no signal): the entry holds until PROGRESS_SECONDS; a save ends it.
    Enrolment.objects.get(user=trainee).save()
    assert active_enrolment_progress(user=trainee, course_id=course.pk) == (None, set())
    assert client.get(lessons[0].url).status_code == 302  # left: back to the course


def test_progress_entries_are_each_learners_own(client, trainee, enrolled):
    from courses.selectors import enrolment_progress

    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    other_user = UserFactory(email="hocvien3@pcmd.example")
    assert enrolment_progress(user=trainee, course_id=course.pk)[1] == {lessons[0].pk}
    assert enrolment_progress(user=other_user, course_id=course.pk) == (None, set())
    enrolment_create(user=other_user, course=course)
    mine = enrolment_progress(user=trainee, course_id=course.pk)[0]
    theirs, done = enrolment_progress(user=other_user, course_id=course.pk)
    assert (theirs.user_id, done) == (other_user.pk, set())
    assert mine.pk != theirs.pk
