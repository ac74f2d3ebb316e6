"""The trainee's calendar feed: their own due dates, parsed back with icalendar, at an address
only they know; a tampered, borrowed, replaced or turned-off address answers 404; reading it
writes nothing."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import JobRole
from courses import calendar
from courses.models import Assignment, CalendarFeed, LearningPath, LearningPathCourse
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import course_create

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _path(name, courses, **fields):
    path = LearningPath.objects.create(name=name, **fields)
    for order, course in enumerate(courses):
        LearningPathCourse.objects.create(path=path, course=course, sort_order=order)
    return path


def _events(body: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    assert len(events) == len(parsed.walk("VEVENT"))  # UIDs are unique
    return events


def _by_summary(body: bytes) -> dict[str, date]:
    return {str(e["summary"]): e.start for e in _events(body).values()}


def _feed_url(user) -> str:
    return calendar.feed_path(calendar.feed_renew(user=user))


@pytest.fixture
def world(catalogue):
    unit = organisation_create("Công an tỉnh Bắc Ninh")
    team = organisation_create("Phòng Cảnh sát hình sự", parent=unit)
    other_unit = organisation_create("Công an tỉnh Lạng Sơn")
    law, law_lessons = course_create(catalogue, code="PCMD-C1", title="Pháp luật về mại dâm")
    victims, _ = course_create(catalogue, code="PCMD-C2", title="Bảo vệ nạn nhân là trẻ em")
    interview, _ = course_create(catalogue, code="PCMD-C3", title="Kỹ năng lấy lời khai")
    hidden, _ = course_create(catalogue, code="PCMD-C4", title="Khóa của đơn vị khác")
    role_path = _path(
        "Lộ trình điều tra viên", [law, victims], job_role=JobRole.INVESTIGATOR, due_days=30
    )
    unit_path = _path("Lộ trình phòng, chống mua bán người", [victims, interview])
    me = UserFactory(organisation=team, job_role=JobRole.INVESTIGATOR, full_name="Trần Thị Lan")
    other = UserFactory(organisation=other_unit, job_role=JobRole.PROSECUTOR)
    today = timezone.localdate()
    # Mine: the role path, a path for my unit's tree, a course for me (assigned twice: the
    # earlier due date is the one that counts), a course with no due date, one I finished.
    Assignment.objects.create(
        path=unit_path, organisation=unit, due_date=today + timedelta(days=10)
    )
    Assignment.objects.create(course=interview, user=me, due_date=today + timedelta(days=20))
    Assignment.objects.create(course=interview, user=me, due_date=today + timedelta(days=5))
    Assignment.objects.create(course=hidden, organisation=team)  # no due date: not in the feed
    Assignment.objects.create(course=law, user=me, due_date=today - timedelta(days=3))
    enrolment_create(user=me, course=law)
    for lesson in law_lessons:
        lesson_complete(user=me, course=law, lesson=lesson)
    # Someone else's.
    Assignment.objects.create(course=hidden, user=other, due_date=today + timedelta(days=1))
    Assignment.objects.create(course=victims, organisation=other_unit, due_date=today)
    return {
        "me": me,
        "other": other,
        "today": today,
        "role_path": role_path,
        "interview": interview,
    }


def test_feed_holds_exactly_the_persons_due_items_in_vietnamese(world):
    me, today = world["me"], world["today"]
    response = Client().get(_feed_url(me))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["x-wr-calname"]) == "Hạn học tập của tôi"
    assert parsed.calendar_name == "Hạn học tập của tôi"
    assert str(parsed["x-wr-timezone"]) == "Asia/Ho_Chi_Minh"
    assert str(parsed["method"]) == "PUBLISH"
    joined = timezone.localtime(me.date_joined).date()
    assert _by_summary(response.content) == {
        "Hạn hoàn thành: Lộ trình điều tra viên": joined + timedelta(days=30),
        "Hạn hoàn thành: Lộ trình phòng, chống mua bán người": today + timedelta(days=10),
        "Hạn hoàn thành: Kỹ năng lấy lời khai": today + timedelta(days=5),
        "Đã hoàn thành: Pháp luật về mại dâm": today - timedelta(days=3),
    }
    for event in _events(response.content).values():
        assert type(event.start) is date  # all-day, on the local (Vietnamese) day
        assert event.end == event.start + timedelta(days=1)
        assert str(event["transp"]) == "TRANSPARENT"
    interview = next(
        e for e in _events(response.content).values() if "lời khai" in str(e["summary"])
    )
    assert interview.alarms.times  # a reminder the day before
    assert str(interview["url"]).endswith(world["interview"].url)
    role = next(
        e for e in _events(response.content).values() if "điều tra viên" in str(e["summary"])
    )
    description = str(role["description"])
    assert "Đã hoàn thành 1/2 khóa học" in description
    assert "Pháp luật về mại dâm: Đã hoàn thành" in description
    assert "Bảo vệ nạn nhân là trẻ em: Chưa bắt đầu" in description
    assert "/dashboard/" in description
    body = response.content.decode()
    for foreign in ("Khóa của đơn vị khác", world["other"].full_name, world["other"].email):
        assert foreign not in body


def test_uids_are_stable_across_fetches_and_new_addresses(world):
    me = world["me"]
    first = set(_events(Client().get(_feed_url(me)).content))
    again = set(_events(Client().get(_feed_url(me)).content))  # a new address, same events

    assert first == again and len(first) == 4
    other = set(_events(Client().get(_feed_url(world["other"])).content))
    assert other and not other & first  # the other person's events are theirs alone


def test_role_path_due_date_is_counted_from_the_local_day_of_joining(world):
    me = world["me"]
    LearningPath.objects.filter(pk=world["role_path"].pk).update(
        created_at=datetime(2026, 1, 1, tzinfo=HCM)
    )
    # 18:30 UTC on 1 March is 01:30 on 2 March in Hà Nội.
    type(me).objects.filter(pk=me.pk).update(
        date_joined=datetime(2026, 3, 1, 18, 30, tzinfo=ZoneInfo("UTC"))
    )
    me.refresh_from_db()

    summaries = _by_summary(Client().get(_feed_url(me)).content)

    assert summaries["Hạn hoàn thành: Lộ trình điều tra viên"] == date(2026, 4, 1)
    assert "BEGIN:VTIMEZONE" not in Client().get(_feed_url(me)).content.decode()


def test_only_the_current_address_of_an_active_person_opens_the_feed(world):
    me, other = world["me"], world["other"]
    client = Client()
    mine = _feed_url(me)
    theirs = _feed_url(other)
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 200

    my_id, my_signature = mine.removesuffix(".ics").rsplit("/", 1)[1].split(".")
    their_id, their_signature = theirs.removesuffix(".ics").rsplit("/", 1)[1].split(".")
    flipped = my_signature[:-1] + ("A" if my_signature[-1] != "A" else "B")
    refused = [
        f"/learn/calendar/{my_id}.{their_signature}.ics",  # another person's signature
        f"/learn/calendar/{their_id}.{my_signature}.ics",
        f"/learn/calendar/{my_id}.{flipped}.ics",  # tampered
        f"/learn/calendar/{int(my_id) + 1000}.{my_signature}.ics",
        f"/learn/calendar/{my_id}.ics",
        f"/learn/calendar/{my_id}..ics",
        f"/learn/calendar/x.{my_signature}.ics",
        f"/learn/calendar/{my_id}.{my_signature}x.ics",
    ]
    for path in refused:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Không tìm thấy trang" in response.content.decode()

    renewed = _feed_url(me)  # a new address: the old one is dead
    assert renewed != mine
    assert client.get(mine).status_code == 404
    assert client.get(renewed).status_code == 200
    assert client.get(theirs).status_code == 200  # nobody else's changes

    type(me).objects.filter(pk=me.pk).update(is_active=False)
    assert client.get(renewed).status_code == 404
    type(me).objects.filter(pk=me.pk).update(is_active=True)
    calendar.feed_stop(user=me)
    assert client.get(renewed).status_code == 404


def test_reading_the_feed_writes_nothing_in_a_constant_number_of_queries(world, catalogue):
    me = world["me"]
    url = _feed_url(me)
    client = Client()
    client.get(url)  # Wagtail's site root paths, cached from then on

    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
    assert [q["sql"] for q in before.captured_queries if _WRITE.match(q["sql"])] == []

    today = world["today"]
    for n in range(5):
        course, _ = course_create(catalogue, code=f"PCMD-X{n}", title=f"Khóa bổ sung {n}")
        Assignment.objects.create(course=course, user=me, due_date=today + timedelta(days=n))
        _path(f"Lộ trình bổ sung {n}", [course]).assignment_set.create(
            organisation=me.organisation, due_date=today + timedelta(days=40 + n)
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
        client.head(url)
    assert len(_events(response.content)) == 14
    assert len(after.captured_queries) == len(before.captured_queries)
    assert client.post(url).status_code == 405


def test_trainee_turns_the_feed_on_renews_and_turns_it_off(world):
    me = world["me"]
    client = Client()
    client.force_login(me)
    assert 'href="/learn/calendar/"' in client.get("/dashboard/").content.decode()

    body = client.get("/learn/calendar/").content.decode()
    assert "Tạo địa chỉ lịch của tôi" in body
    assert not CalendarFeed.objects.filter(user=me).exists()  # showing the page made nothing

    response = client.post("/learn/calendar/new/", follow=True)
    body = response.content.decode()
    assert "Địa chỉ lịch của bạn đã sẵn sàng" in body
    first = re.search(r'id="calendar-url"[^>]*value="([^"]+)"', body)[1]
    assert first.startswith("http://testserver/learn/calendar/") and first.endswith(".ics")
    assert 'href="webcal://testserver/learn/calendar/' in body
    assert Client().get(first).status_code == 200

    body = client.post("/learn/calendar/new/", follow=True).content.decode()
    assert "địa chỉ cũ không còn dùng được" in body
    second = re.search(r'id="calendar-url"[^>]*value="([^"]+)"', body)[1]
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    body = client.post("/learn/calendar/off/", follow=True).content.decode()
    assert "Đã tắt địa chỉ lịch" in body and "Tạo địa chỉ lịch của tôi" in body
    assert Client().get(second).status_code == 404


def test_the_feed_switches_need_a_signed_in_post(world):
    anonymous = Client()
    assert anonymous.get("/learn/calendar/").status_code == 302
    for path in ("/learn/calendar/new/", "/learn/calendar/off/"):
        assert anonymous.post(path).status_code == 302
        trainee = Client()
        trainee.force_login(world["me"])
        assert trainee.get(path).status_code == 405
    assert not CalendarFeed.objects.exists()
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(world["me"])
    assert csrf.post("/learn/calendar/new/").status_code == 403
    assert not CalendarFeed.objects.exists()
