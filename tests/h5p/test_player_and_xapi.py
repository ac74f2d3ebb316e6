import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile

from accounts.roles import ADMINISTRATOR, TRAINER
from content.h5p.packaging import build_choice_package
from content.h5p.services import h5p_content_process
from content.h5p.tokens import player_token
from content.models import H5PContent, H5PLibrary, H5PStatus
from courses.activities import activity_iri
from courses.models import ActivityResult, ActivityStatement, Enrolment, LessonPage, StepCompletion
from courses.services import CourseError, enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

CONTENT_HOST = "content.localhost:8000"
CHOICES = [
    {"text": "Phạt hành chính", "correct": False, "feedback": "Chưa đúng."},
    {"text": "Coi là nạn nhân tiềm năng", "correct": True, "feedback": "Đúng."},
]


def content_folder(content: H5PContent) -> Path:
    """Where the item's own files are, or would be had it been accepted."""
    return Path(settings.H5P_ROOT) / "content" / str(content.uuid)


def _upload(user, data: bytes, title="Hoạt động") -> H5PContent:
    content = H5PContent.objects.create(
        title=title, package=ContentFile(data, name="goi.h5p"), uploaded_by=user
    )
    return h5p_content_process(content_id=content.pk)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def activity(admin_user):
    data = build_choice_package(
        title="Nhận diện nạn nhân", question="<p>Câu hỏi?</p>", choices=CHOICES
    )
    content = _upload(admin_user, data)
    assert content.status == H5PStatus.READY, content.problems
    return content


@pytest.fixture
def lesson(home_page, activity):
    course, _lessons = course_create(catalogue_create(home_page), code="PCMD-H5P", lessons=0)
    lesson = course.add_child(
        instance=LessonPage(
            title="Bài có hoạt động",
            slug="bai-h5p",
            body=[
                {"type": "paragraph", "value": "<p>Đọc tình huống.</p>"},
                {
                    "type": "h5p_activity",
                    "value": {"activity": activity.pk, "required": True, "pass_threshold": 100},
                },
            ],
        )
    )
    return course, lesson


@pytest.fixture
def learner(client, trainee, lesson):
    enrolment_create(user=trainee, course=lesson[0])
    client.force_login(trainee)
    return trainee


def _statement(activity, verb="answered", raw=1, maximum=1, **extra):
    statement = {
        "actor": {"name": "Người khác", "mbox": "mailto:attacker@example.com"},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": activity_iri(activity), "objectType": "Activity"},
        "result": {"score": {"raw": raw, "max": maximum, "min": 0, "scaled": 1}, "success": True},
    }
    statement.update(extra)
    return statement


def _post(client, lesson, activity, statement):
    return client.post(
        f"/learn/h5p/{lesson.pk}/{activity.pk}/xapi/",
        data=json.dumps({"statement": statement}),
        content_type="application/json",
    )


# --- the content origin -------------------------------------------------------------


def test_player_is_served_only_from_the_content_origin_with_csp_and_nosniff(
    client, activity, learner
):
    token = player_token(content_id=activity.pk, user_id=learner.pk)

    response = client.get(f"/h5p/{token}/player/", HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert f"frame-ancestors {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies
    platform = client.get(f"/h5p/{token}/player/")
    assert platform.status_code == 404


def test_package_files_come_only_from_the_content_origin(client, activity, learner):
    token = player_token(content_id=activity.pk, user_id=learner.pk)

    served = client.get(f"/h5p/{token}/files/h5p.json", HTTP_HOST=CONTENT_HOST)
    on_platform = client.get(f"/h5p/{token}/files/h5p.json")

    assert served.status_code == 200
    assert json.loads(b"".join(served.streaming_content))["mainLibrary"] == "H5P.PcmdChoice"
    assert on_platform.status_code == 404
    assert not str(content_folder(activity)).startswith(str(settings.MEDIA_ROOT))
    library_js = client.get(
        f"/h5p/{token}/libraries/H5P.PcmdChoice-1.1/pcmd-choice.js", HTTP_HOST=CONTENT_HOST
    )
    assert library_js.status_code == 200
    assert (
        client.get(f"/h5p/{token}/libraries/H5P.PcmdChoice-1.1/pcmd-choice.js").status_code == 404
    )
    # Libraries are not content files: the content URL does not reach them.
    assert (
        client.get(
            f"/h5p/{token}/files/H5P.PcmdChoice-1.1/pcmd-choice.js", HTTP_HOST=CONTENT_HOST
        ).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["missing", "garbled", "foreign", "expired"])
def test_content_origin_refuses_bad_tokens(client, activity, monkeypatch, kind):
    if kind == "missing":
        url = "/h5p//player/"
    elif kind == "garbled":
        url = "/h5p/not-a-token/player/"
    elif kind == "foreign":
        token = signing.dumps({"c": activity.pk, "u": 1}, salt="another.salt")
        url = f"/h5p/{token}/player/"
    else:
        import content.h5p.tokens as tokens

        token = player_token(content_id=activity.pk, user_id=1)
        monkeypatch.setattr(tokens, "MAX_AGE_SECONDS", -1)
        url = f"/h5p/{token}/player/"

    response = client.get(url, HTTP_HOST=CONTENT_HOST)

    assert response.status_code in (403, 404)
    assert b"Nh\xe1\xba\xadn di\xe1\xbb\x87n" not in response.content


def test_platform_cookies_are_neither_needed_nor_accepted_on_the_content_origin(
    client, activity, learner
):
    # The learner's session cookie travels with this client: it must make no difference.
    assert client.cookies.get(settings.SESSION_COOKIE_NAME)
    refused = client.get("/h5p/no-token/files/h5p.json", HTTP_HOST=CONTENT_HOST)
    assert refused.status_code in (403, 404)

    anonymous = client.__class__()
    token = player_token(content_id=activity.pk, user_id=learner.pk)
    assert anonymous.get(f"/h5p/{token}/player/", HTTP_HOST=CONTENT_HOST).status_code == 200


def test_path_traversal_out_of_the_package_is_refused(client, activity):
    token = player_token(content_id=activity.pk, user_id=1)

    response = client.get(f"/h5p/{token}/files/../../../etc/passwd", HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 404


# --- statements and progress ------------------------------------------------------------


def test_answer_with_full_score_completes_the_lesson_with_the_session_user_as_actor(
    client, activity, lesson, learner
):
    _course, page = lesson

    response = _post(client, page, activity, _statement(activity))

    assert response.json()["lesson_completed"] is True
    stored = ActivityStatement.objects.get()
    assert stored.statement["actor"]["account"]["name"] == str(learner.pk)
    assert "attacker" not in json.dumps(stored.statement)
    result = ActivityResult.objects.get()
    assert (result.best_scaled, result.passed) == (1, True)
    assert StepCompletion.objects.filter(step=page).exists()


def test_lesson_with_a_pending_activity_cannot_be_marked_complete_by_hand(learner, lesson):
    course, page = lesson

    with pytest.raises(CourseError):
        lesson_complete(user=learner, course=course, lesson=page)


def test_non_enrolled_users_statement_changes_nothing(client, activity, lesson):
    client.force_login(UserFactory())

    response = _post(client, lesson[1], activity, _statement(activity))

    assert response.status_code == 403
    assert not ActivityStatement.objects.exists()
    assert not ActivityResult.objects.exists()


def test_statement_for_another_activity_is_refused(client, activity, lesson, learner):
    statement = _statement(activity)
    statement["object"]["id"] = "http://content.localhost:8000/h5p/activity/someone-else"

    response = _post(client, lesson[1], activity, statement)

    assert response.status_code == 400
    assert not ActivityStatement.objects.exists()


def test_child_statement_with_a_high_score_is_kept_but_scores_nothing(
    client, activity, lesson, learner
):
    statement = _statement(activity)
    statement["object"]["id"] = activity_iri(activity) + "?subContentId=abc"
    statement["context"] = {"contextActivities": {"parent": [{"id": activity_iri(activity)}]}}

    _post(client, lesson[1], activity, statement)

    assert ActivityStatement.objects.get().is_child
    assert not ActivityResult.objects.exists()
    assert not Enrolment.objects.get(user=learner).completions.exists()


def test_replayed_statement_is_stored_once(client, activity, lesson, learner):
    statement = _statement(activity, raw=0)

    first = _post(client, lesson[1], activity, statement).json()
    second = _post(client, lesson[1], activity, statement).json()

    assert first["stored"] is True
    assert second == {"stored": False, "duplicate": True}
    assert ActivityStatement.objects.count() == 1


def test_forged_scores_out_of_range_are_refused(client, activity, lesson, learner):
    response = _post(client, lesson[1], activity, _statement(activity, raw=5, maximum=1))

    assert response.status_code == 400
    assert not ActivityResult.objects.exists()


def test_interacted_statements_are_throttled(client, activity, lesson, learner):
    results = [
        _post(
            client,
            lesson[1],
            activity,
            {**_statement(activity, verb="interacted"), "timestamp": str(i)},
        ).json()
        for i in range(3)
    ]

    assert results[0] == {"stored": True}
    assert results[1]["throttled"] is True
    assert ActivityStatement.objects.filter(verb="interacted").count() == 1


def test_completion_never_goes_back_after_a_lower_score(client, activity, lesson, learner):
    _post(client, lesson[1], activity, _statement(activity, raw=1))
    _post(client, lesson[1], activity, _statement(activity, raw=0, timestamp="later"))

    result = ActivityResult.objects.get()
    assert (result.best_scaled, result.last_scaled, result.passed) == (1, 0, True)


# --- uploads and library approval ---------------------------------------------------------


def test_trainer_package_needing_a_new_library_waits_for_an_administrator(home_page):
    trainer = UserFactory(role=TRAINER)
    data = build_choice_package(title="Bài tập", question="<p>?</p>", choices=CHOICES)

    content = _upload(trainer, data)

    assert content.status == H5PStatus.AWAITING_LIBRARY
    assert "H5P.PcmdChoice 1.1" in content.problems[0]
    assert not Path(content_folder(content)).exists()
    assert not H5PLibrary.objects.exists()


def test_administrator_upload_installs_its_libraries(activity):
    assert H5PLibrary.objects.filter(machine_name="H5P.PcmdChoice", minor_version=1).exists()
    assert activity.main_library == "H5P.PcmdChoice 1.1"
    assert (Path(settings.H5P_ROOT) / activity.content_folder / "h5p.json").exists()
    library = H5PLibrary.objects.get(machine_name="H5P.PcmdChoice")
    assert (library.version, library.approved_by) == ("1.1.0", activity.uploaded_by)
    assert len(library.files_hash) == 64
    assert (Path(settings.H5P_ROOT) / library.folder / "pcmd-choice.js").is_file()
    # The content keeps only its own files: no library folder in it.
    assert sorted(
        p.name for p in (Path(settings.H5P_ROOT) / activity.content_folder).iterdir()
    ) == [
        "content",
        "h5p.json",
    ]


def test_hostile_upload_is_refused_with_its_reason_and_leaves_nothing(admin_user):
    from tests.h5p import hostile

    content = _upload(admin_user, hostile.zip_slip())

    assert content.status == H5PStatus.REJECTED
    assert content.problems
    assert not Path(content_folder(content)).exists()


def test_svg_with_script_is_served_only_from_the_content_origin_under_csp(client, admin_user):
    from tests.h5p import hostile

    content = _upload(admin_user, hostile.svg_with_script(), title="SVG")
    assert content.status == H5PStatus.READY, content.problems
    folder = Path(settings.H5P_ROOT) / content.content_folder
    svg = next(folder.rglob("*.svg"))
    relative = svg.relative_to(folder).as_posix()
    token = player_token(content_id=content.pk, user_id=admin_user.pk)

    served = client.get(f"/h5p/{token}/files/{relative}", HTTP_HOST=CONTENT_HOST)
    on_platform = client.get(f"/h5p/{token}/files/{relative}")

    assert served["Content-Type"] == "image/svg+xml"
    assert "script-src 'self'" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert on_platform.status_code == 404


def test_onerror_html_is_cleaned_in_what_the_player_reads(client, admin_user):
    from tests.h5p import hostile

    content = _upload(admin_user, hostile.onerror_html(), title="HTML")
    token = player_token(content_id=content.pk, user_id=admin_user.pk)

    served = client.get(f"/h5p/{token}/files/content/content.json", HTTP_HOST=CONTENT_HOST)

    assert b"onerror" not in b"".join(served.streaming_content)


def test_trainer_upload_in_the_admin_reports_each_reason_in_vietnamese(client):
    from tests.h5p import hostile

    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    upload = ContentFile(hostile.evil_html(), name="xau.h5p")

    response = client.post(
        "/admin/snippets/content/h5pcontent/add/", {"title": "Gói độc hại", "package": upload}
    )

    assert response.status_code == 302
    content = H5PContent.objects.get(title="Gói độc hại")
    assert content.status == H5PStatus.REJECTED
    assert content.uploaded_by == trainer
    assert any("Tên tệp không được phép" in p or "Loại tệp" in p for p in content.problems)
    listing = client.get("/admin/snippets/content/h5pcontent/").content.decode()
    assert "Bị từ chối" in listing
    assert not Path(content_folder(content)).exists()


def test_administrator_approves_a_waiting_packages_libraries_and_it_becomes_ready(client):
    from accounts.roles import ADMINISTRATOR

    admin_user = UserFactory(role=ADMINISTRATOR, is_superuser=True)

    trainer = UserFactory(role=TRAINER)
    data = build_choice_package(title="Bài tập", question="<p>?</p>", choices=CHOICES)
    waiting = _upload(trainer, data)
    assert waiting.status == H5PStatus.AWAITING_LIBRARY

    staff_login(client, trainer)
    refused = client.post(f"/admin/h5p/{waiting.pk}/approve-libraries/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's refusal
    waiting.refresh_from_db()
    assert waiting.status == H5PStatus.AWAITING_LIBRARY
    assert not H5PLibrary.objects.exists()

    staff_login(client, admin_user)
    client.post(f"/admin/h5p/{waiting.pk}/approve-libraries/")

    waiting.refresh_from_db()
    assert waiting.status == H5PStatus.READY
    library = H5PLibrary.objects.get(machine_name="H5P.PcmdChoice")
    assert library.approved_by == admin_user


# --- xAPI endpoint limits -------------------------------------------------------------------


def _raw_post(client, lesson, activity, body: str):
    return client.post(
        f"/learn/h5p/{lesson.pk}/{activity.pk}/xapi/", data=body, content_type="application/json"
    )


def _with_score(activity, **score) -> str:
    statement = _statement(activity)
    statement["result"]["score"] = score
    return json.dumps({"statement": statement})


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            lambda a: _with_score(a, raw=1, max=1).replace('"raw": 1', '"raw": NaN'), id="nan"
        ),
        pytest.param(
            lambda a: _with_score(a, raw=1, max=1).replace('"max": 1', '"max": Infinity'),
            id="infinity",
        ),
        pytest.param(
            lambda a: _with_score(a, raw=1, max=1).replace('"raw": 1', '"raw": -Infinity'),
            id="minus-infinity",
        ),
        pytest.param(lambda a: _with_score(a, raw=1e308, max=1e308), id="absurd"),
        pytest.param(lambda a: _with_score(a, raw=True, max=1), id="boolean"),
        pytest.param(lambda a: _with_score(a, raw="1", max="1"), id="string"),
        pytest.param(lambda a: _with_score(a, raw=-1, max=1), id="negative"),
        pytest.param(lambda a: _with_score(a, raw=1, max=1, min=-5), id="min"),
        pytest.param(lambda a: _with_score(a, raw=1, max=0), id="zero-max"),
        pytest.param(
            lambda a: json.dumps(
                {"statement": {**_statement(a), "context": json.loads("[" * 30 + "]" * 30)}}
            ),
            id="nested",
        ),
        pytest.param(
            lambda a: json.dumps({"statement": {**_statement(a), "padding": "x" * (70 * 1024)}}),
            id="oversized",
        ),
        pytest.param(
            lambda a: json.dumps(
                {
                    "statement": {
                        **_statement(a),
                        "result": {"score": {"raw": 1, "max": 1}, "duration": "PT99999999H"},
                    }
                }
            ),
            id="duration",
        ),
        pytest.param(lambda a: "[]", id="not-an-object"),
        pytest.param(lambda a: '{"statement": ', id="truncated"),
    ],
)
def test_bad_statements_get_400_and_write_nothing(client, activity, lesson, learner, body):
    response = _raw_post(client, lesson[1], activity, body(activity))

    assert response.status_code in {400, 413}  # 413: the oversized body
    assert not ActivityStatement.objects.exists()
    assert not ActivityResult.objects.exists()


def test_the_maximum_is_capped_at_the_activitys_known_maximum(client, activity, lesson, learner):
    first = _post(client, lesson[1], activity, _statement(activity, raw=0, maximum=1))
    assert first.status_code == 200

    forged = _post(
        client, lesson[1], activity, _statement(activity, raw=50, maximum=50, timestamp="x")
    )

    assert forged.status_code == 400
    assert ActivityStatement.objects.count() == 1
    assert ActivityResult.objects.get().best_scaled == 0


def test_a_learner_cannot_set_the_maximum_for_others_but_a_trainers_preview_does(
    client, activity, lesson, learner, trainer
):
    _post(client, lesson[1], activity, _statement(activity, raw=1, maximum=1))
    activity.refresh_from_db()
    assert activity.max_score is None  # a learner's claim binds only that learner

    enrolment_create(user=trainer, course=lesson[0])
    client.force_login(trainer)
    _post(client, lesson[1], activity, _statement(activity, raw=1, maximum=1, timestamp="t"))
    activity.refresh_from_db()
    other = UserFactory()
    enrolment_create(user=other, course=lesson[0])
    client.force_login(other)

    assert activity.max_score == 1
    assert (
        _post(client, lesson[1], activity, _statement(activity, raw=9, maximum=9)).status_code
        == 400
    )


def test_every_verb_counts_toward_a_per_learner_rate_limit(client, activity, lesson, learner):
    from courses.views import STATEMENTS_PER_MINUTE

    codes = [
        _post(
            client, lesson[1], activity, {**_statement(activity, verb="attempted"), "n": i}
        ).status_code
        for i in range(STATEMENTS_PER_MINUTE + 3)
    ]

    assert codes[:STATEMENTS_PER_MINUTE] == [200] * STATEMENTS_PER_MINUTE
    assert set(codes[STATEMENTS_PER_MINUTE:]) == {429}
    assert ActivityStatement.objects.count() == STATEMENTS_PER_MINUTE


def test_results_count_attempts_best_score_and_time(client, activity, lesson, learner):
    for raw, duration in ((0, "PT30S"), (1, "PT1M15.5S"), (0, "PT10S")):
        statement = _statement(activity, raw=raw, timestamp=duration)
        statement["result"]["duration"] = duration
        assert _post(client, lesson[1], activity, statement).status_code == 200

    result = ActivityResult.objects.get()
    assert (result.attempts, result.best_raw, result.max_score) == (3, 1, 1)
    assert result.time_seconds == 30 + 75 + 10


def test_the_lesson_report_shows_attempts_best_score_and_time(
    client, activity, lesson, learner, admin_user
):
    from tests.factories.accounts import totp_activate
    from tests.mfa import mfa_login

    for raw, duration in ((0, "PT40S"), (1, "PT1M5S")):
        statement = _statement(activity, raw=raw, timestamp=duration)
        statement["result"]["duration"] = duration
        _post(client, lesson[1], activity, statement)
    url = f"/admin/lessons/{lesson[1].pk}/activities/"
    assert client.get(url).status_code in (302, 403)  # a trainee sees no report

    client.logout()
    mfa_login(client, admin_user, totp_activate(admin_user))
    page = client.get(url).content.decode()
    export = client.get(url + "?export=csv")

    assert learner.full_name in page and activity.title in page
    assert ">2<" in page.replace(" ", "").replace("\n", "")  # attempts
    assert "1/1" in page and "1:45" in page
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[4:9] == ["2", "1.00", "1.00", "100", "105"]


@pytest.mark.parametrize(
    "data",
    ["[" * 5000 + "]" * 5000, '{"progress": NaN}', '{"progress": 1e999}', '["\\u0000"]', "{"],
    ids=["deep", "nan", "overflow", "nul", "not-json"],
)
def test_saved_state_refuses_hostile_json_and_keeps_nothing(client, activity, learner, data):
    from content.models import H5PUserData

    token = player_token(content_id=activity.pk, user_id=learner.pk)
    url = f"/h5p/{token}/user-data/state/0/"

    response = client.post(url, {"data": data, "preload": "1"}, HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 400
    assert response.json()["success"] is False and response.json()["message"]
    assert not H5PUserData.objects.exists()
