"""WCAG 2.1 AA: axe-core (tests/browser/axe.py) finds nothing serious or critical on any page
that a visitor, a trainee, an HR officer, a trainer or an administrator can open.

The pages are enumerated, not listed, on the demo curriculum:
- every route the URL resolver knows outside the admin, with values from the demo for its
  parameters, for the visitor, the trainee and the HR officer;
- the page tree: every page type, and for the trainee enough lessons and quizzes that every
  kind of block the demo uses is shown at least once;
- in the admin, for a trainer and an administrator, every screen of our own apps' views and
  of the viewsets over our models, the editor of each of our page types, the dashboard and
  the question chooser.
A route of ours that no role reaches with the values given fails the test: a new page must be
given a value here, and is then checked. What was checked, with each check's time, is
written to test-artifacts/accessibility-checked.txt.

Cost: one browser, one context per role, one navigation per address (a redirect to a page
already checked is not checked again, nor is a screen another role has checked unless its
content differs by role), a model's add screen only when it has no row to edit, and only the
WCAG 2.1 A/AA rules: about 115 pages, 170 s with four suites running on the 2-core machine
(load 6–7), of which 65 s in axe (the previous walk took 517 s)."""

import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.axe import OUR_PAGES, axe_violations
from tests.browser.conftest import ARTIFACTS
from tests.browser.staff import staff_sign_in
from tests.factories.accounts import totp_activate
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db(transaction=True)

TRAINEE = "hocvien@pcmd.example"
HR = "nhansu@pcmd.example"
TRAINER = "giangvien@pcmd.example"
ADMIN = "quantri@pcmd.example"

# Routes of ours that no role reaches on the demo, each with the reason.
UNREACHABLE = {
    # A document's file: never an HTML page.
    "documents/^(\\d+)/(.*)$",
    # Wagtail's password-protected pages and documents: the demo restricts none.
    "documents/authenticate_with_password/<int:restriction_id>/",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
}


def _project_apps() -> set[str]:
    base = Path(settings.BASE_DIR)
    return {c.name for c in apps.get_app_configs() if Path(c.path).parent == base}


def _model_of(callback):
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    if isinstance(model, str):
        model = apps.get_model(model)
    return model


def _is_ours(route, ours: set[str]) -> bool:
    model = _model_of(route.callback)
    if model is not None and model._meta.app_config.name in ours:
        return True
    return route.dotted.split(".")[0] in ours


def _block_types(value) -> set[str]:
    """Every block type in a StreamField's raw data, nested ones included."""
    found = set()
    if isinstance(value, dict):
        if isinstance(value.get("type"), str) and "value" in value:
            found.add(value["type"])
        for inner in value.values():
            found |= _block_types(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _block_types(inner)
    return found


def _pages_covering_every_block(pages) -> list:
    """One page of each type, then more until every block type the pages use is shown."""
    from wagtail.fields import StreamField

    chosen, shown, seen_types = [], set(), set()
    blocks_of = {}
    for page in pages:
        kinds = set()
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                kinds |= {
                    f"{type(page).__name__}.{t}"
                    for t in _block_types(getattr(page, field.name).raw_data)
                }
        blocks_of[page.pk] = kinds
        if type(page) not in seen_types:
            seen_types.add(type(page))
            chosen.append(page)
            shown |= kinds
    remaining = [p for p in pages if p not in chosen]
    while True:
        best = max(remaining, key=lambda p: len(blocks_of[p.pk] - shown), default=None)
        if best is None or not blocks_of[best.pk] - shown:
            return chosen
        chosen.append(best)
        shown |= blocks_of[best.pk]
        remaining.remove(best)


class AxeWalk:
    """One role's browser context: opens each URL once, runs axe on each page template not
    seen yet (by its address after redirects, or its status for error pages) and keeps what
    it found."""

    def __init__(self, context, role: str, log: list[str], *, extra=OUR_PAGES):
        self.context, self.role, self.log, self.extra = context, role, log, extra
        self.page = context.new_page()
        self.started = time.monotonic()
        self.violations: dict[str, list[str]] = {}
        self.checked: set[str] = set()

    def check_current(self, label: str):
        started = time.monotonic()
        found = axe_violations(self.page, extra=self.extra)
        self.log.append(f"{self.role}: {label} [{time.monotonic() - started:.2f}s]")
        if found:
            self.violations[f"{self.role} {label}"] = found

    def visit(self, url: str) -> str:
        """What `url` turned out to be for this role: 'page', 'redirect', 'not a page' or
        'status N'. One navigation: the document's response is read, never fetched again."""
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return "not a page"  # a file: a PDF, a CSV, recovery codes
            # Chromium shows its own error page for an empty error response (a 405 to a GET
            # of a POST-only endpoint, a refused check-in code): its status, without a browser.
            status = self.page.request.get(url, max_redirects=10).status
            assert status < 500, f"{self.role} {url}: {status}"
            if status >= 400:
                return f"status {status}"
            # A page that answers: Chromium's navigation itself was cut short (seen once
            # under load, right after a download); one more try, and a second failure fails.
            response = self.page.goto(url)
        assert response is not None, url
        status = response.status
        assert status < 500, f"{self.role} {url}: {status}"
        html = "text/html" in response.headers.get("content-type", "")
        if not html or not re.search(r"<html[\s>]", response.text(), re.IGNORECASE):
            return "not a page" if status < 400 else f"status {status}"
        final = re.sub(r"^https?://[^/]+", "", self.page.url).split("?")[0].split("#")[0]
        # Error pages share one template per status: checked once per role.
        key = final if status < 400 else f"error page {status}"
        if key not in self.checked:
            self.checked.add(key)
            self.check_current(f"{key} (from {url})" if key != url else url)
        if status >= 400:
            return f"status {status}"
        return "page" if final == url.split("?")[0] else "redirect"

    def close(self):
        self.context.close()
        self.log.append(f"{self.role}: done at {time.monotonic() - self.started:.0f} s")


def _sign_in_trainee(page, email):
    from accounts.demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def _staff(page, email):
    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User

    user = User.objects.get(email=email)
    staff_sign_in(page, user, totp_activate(user), password=DEMO_PASSWORD)


def _demo_state():
    """The demo with a trainee part-way: one course done with its certificate, a quiz
    attempt open, another graded."""
    from accounts.models import User
    from assessments.models import QuizPage
    from assessments.services import attempt_start, attempt_submit
    from certificates.models import Certificate
    from content.models import H5PContent
    from courses.models import CoursePage, LessonPage
    from courses.selectors import course_steps
    from courses.services import enrolment_create, step_complete

    trainee = User.objects.get(email=TRAINEE)
    done = CoursePage.objects.get(code="PCMD-101")
    enrolment_create(user=trainee, course=done)
    for step in course_steps(course=done):
        if step.is_required:
            step_complete(user=trainee, course=done, step=step)
    current = CoursePage.objects.get(code="PCMD-202")
    enrolment_create(user=trainee, course=current)
    quizzes = [s for s in course_steps(course=current) if isinstance(s, QuizPage)]
    graded = attempt_start(user=trainee, quiz=quizzes[0])
    attempt_submit(user=trainee, attempt_id=graded.pk, raw_answers={})
    open_attempt = attempt_start(user=trainee, quiz=quizzes[-1])
    lesson = LessonPage.objects.live().descendant_of(current).first()
    certificate = Certificate.objects.filter(user=trainee).first()
    assert certificate is not None
    activity = H5PContent.objects.first()
    # A course package uploaded in the admin and previewed, for its detail screen.
    from django.core.files.base import ContentFile

    from packages.exporter import package_tree, zip_bytes
    from packages.services import package_import_create

    data = zip_bytes(package_tree(courses=[done], key="pcmd-101", title=done.title))
    upload = package_import_create(
        upload=ContentFile(data, name="pcmd-101.zip"), user=User.objects.get(email=ADMIN)
    )
    # A seat in next week's in-person session, for the trainer's scan of a personal code.
    from workshops.models import TrainingSession
    from workshops.services import registration_create
    from workshops.tokens import personal_token

    upcoming = TrainingSession.objects.filter(starts_at__gt=timezone.now()).earliest("starts_at")
    seat = registration_create(user=trainee, session=upcoming)
    # The trainee's calendar feed turned on: the dashboard shows its address and switches.
    from courses.calendar import feed_renew, feed_token

    # HR: a roster upload waiting in its preview, and a signed training record to verify.
    from hr.models import ImportKind
    from hr.services import roster_read, transcript_issue

    officer = User.objects.get(email=HR)
    roster = roster_read(
        data=(
            "full_name,email,staff_id,job_role,unit\n"
            f"Đỗ Văn Hải,dovanhai@pcmd.example,CA-9001,investigator,{trainee.organisation.name}\n"
            "Không Có Đơn Vị,khongco@pcmd.example,CA-9002,investigator,Không tồn tại\n"
        ).encode(),
        filename="can-bo.csv",
        kind=ImportKind.STAFF,
        actor=officer,
        scope=officer.organisation,
    )
    record, _pdf = transcript_issue(user=trainee, actor=officer)
    return {
        "token": [personal_token(registration_id=seat.pk)],
        "feed_token": [feed_token(feed_renew(user=trainee))],
        "session_id": [upcoming.pk],
        "fmt": ["csv"],
        "kind": [ImportKind.STAFF],
        "roster_id": [roster.pk],
        "user_id": [trainee.pk],
        "import_id": [upload.pk],
        "course_id": [current.pk],
        "lesson_id": [lesson.pk],
        "quiz_id": [quizzes[-1].pk],
        "attempt_id": [open_attempt.pk, graded.pk],
        "code": [certificate.code, record.code],
        "page_id": [current.pk, lesson.pk, quizzes[-1].pk],
        "activity_id": [activity.pk] if activity else [],
        "content_id": [activity.pk] if activity else [],
    }


def _hr_drill_downs() -> list[str]:
    """The lists behind the compliance dashboard's numbers (the walk gives no query)."""
    from accounts.models import User
    from courses.models import LearningPath

    unit = User.objects.get(email=HR).organisation_id
    path = LearningPath.objects.exclude(job_role="").order_by("pk").first()
    return [
        f"/hr/compliance/?unit={unit}",
        f"/hr/compliance/people/?unit={unit}&direct=0&path={path.pk}&status=required",
        f"/hr/compliance/people/?unit={unit}&direct=0&certificates=valid",
    ]


def _values_for(pattern):
    model = _model_of(pattern.callback)
    if model is None or "pk" not in str(pattern.pattern):
        return {}
    first = model._default_manager.order_by("pk").first()
    return {"pk": [first.pk]} if first is not None else {}


# Wagtail's generic views over our models: the screens our fields, panels and columns shape.
# History, usage, deletion, copies and revisions are Wagtail's own pages, unchanged by us; a
# chooser's "create" answers the modal with JSON, and its form is the "add" screen's.
_GENERIC_SCREENS = re.compile(r"(^|:)(list|index|add|create|edit|inspect)$")
# Pages whose content differs by role (navigation, what they list): checked for each role.
PER_ROLE = {"/", "/dashboard/"}


def _routes(values):
    """Our routes: public ones, our own admin views, and the generic admin screens over our
    models."""
    ours = _project_apps()
    public, admin_own, admin_generic = [], [], []
    for route in walk(values, values_for=_values_for):
        if route.name in ("wagtail_serve", "set_language"):
            continue  # pages come from the tree below; the language switch is a POST
        if route.route.lstrip("^").startswith("admin/"):
            if not _is_ours(route, ours):
                continue
            if _model_of(route.callback) is None:
                admin_own.append(route)
            elif _GENERIC_SCREENS.search(route.name or "") and "/choose/" not in route.route:
                admin_generic.append(route)
        else:
            public.append(route)
    return ours, public, admin_own, _one_form_each(admin_generic)


def _one_form_each(routes):
    """A model's add and edit screens show the same form (our fields and panels): the edit
    screen is checked, the add screen only for a model with no row to edit."""
    return [
        r
        for r in routes
        if not (
            re.search(r"(add|create)$", r.name) and _model_of(r.callback)._default_manager.exists()
        )
    ]


def test_every_page_for_every_role_has_no_serious_accessibility_violation(browser, platform, demo):
    from django.db.models import Count
    from wagtail.models import Page, get_page_models

    from assessments.models import Question

    started = time.monotonic()
    demo()
    values = _demo_state()
    values["question_id"] = [
        Question.objects.annotate(n=Count("attempt_items")).order_by("-n", "pk").first().pk
    ]
    ours, public, admin_own, admin_generic = _routes(values)
    log: list[str] = [f"demo and its state: {time.monotonic() - started:.0f} s"]

    our_page_models = [m for m in get_page_models() if m._meta.app_config.name in ours]
    live = [
        p.specific
        for p in Page.objects.live().filter(depth__gt=1).order_by("path")
        if type(p.specific) in our_page_models
    ]
    one_of_each = list({type(p): p for p in reversed(live)}.values())[::-1]
    trainee_pages = _pages_covering_every_block(live)

    outcomes: dict[str, set[str]] = defaultdict(set)
    walks: list[AxeWalk] = []

    def role(name, *, extra=OUR_PAGES) -> AxeWalk:
        context = browser.new_context(
            base_url=platform.url, locale="en-US", viewport={"width": 1440, "height": 900}
        )
        context.set_default_timeout(15_000)
        walker = AxeWalk(context, name, log, extra=extra)
        walks.append(walker)
        return walker

    def run(walker, routes, pages=()):
        for route in routes:
            if "page" in outcomes[route.route] and not set(route.samples) & PER_ROLE:
                continue  # the same screen, already checked for an earlier role
            for sample in route.samples:
                outcomes[route.route].add(walker.visit(sample))
        for p in pages:
            walker.visit(p.url)
        walker.close()

    run(role("visitor"), public, one_of_each)
    trainee = role("trainee")
    _sign_in_trainee(trainee.page, TRAINEE)
    run(trainee, public, trainee_pages)
    hr = role("hr")
    _staff(hr.page, HR)
    for url in _hr_drill_downs():
        hr.visit(url)
    run(hr, public, live[:1])

    # Admin screens: landmarks are Wagtail's own there; serious and critical only.
    trainer = role("trainer", extra=frozenset())
    _staff(trainer.page, TRAINER)
    for url in ["/admin/", f"/admin/pages/{values['course_id'][0]}/"] + [
        f"/admin/pages/{p.pk}/edit/" for p in one_of_each
    ]:
        trainer.visit(url)
    page = trainer.page
    page.goto(f"/admin/pages/{values['quiz_id'][0]}/edit/")
    page.get_by_role("button", name="Thêm: Câu hỏi luôn có trong bài").click()
    page.get_by_role("button", name="Chọn câu hỏi").last.click()
    expect(page.get_by_role("dialog").locator("table")).to_be_visible()
    # The modal fades in: axe measures contrast on what it sees, so wait until it is opaque
    # and no finite animation runs (a full run once caught the header's subtitle mid-fade).
    page.wait_for_function(
        """() => {
            for (let e = document.querySelector('[role=dialog] table'); e; e = e.parentElement)
                if (getComputedStyle(e).opacity !== '1') return false;
            return document.getAnimations().every(
                (a) => a.playState !== 'running'
                    || a.effect?.getComputedTiming().iterations === Infinity);
        }"""
    )
    trainer.check_current("question chooser in the quiz editor")
    run(trainer, admin_own)

    administrator = role("administrator", extra=frozenset())
    _staff(administrator.page, ADMIN)
    administrator.visit("/admin/")
    run(administrator, admin_own + admin_generic)
    elapsed = time.monotonic() - started

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility-checked.txt").write_text(
        "\n".join(log) + f"\n{len(log)} pages checked in {elapsed:.0f} s\n"
    )
    report = "\n".join(
        f"{label}:\n  " + "\n  ".join(lines) for w in walks for label, lines in w.violations.items()
    )
    assert report == "", report

    # Enumerated, not listed: every route of ours was reached by some role.
    reached = {"page", "redirect", "not a page", "status 405", "status 403"}
    unreached = sorted(
        route.route
        for route in public + admin_own
        if not outcomes[route.route] & reached and route.route not in UNREACHABLE
    )
    assert unreached == [], f"give these routes values from the demo: {unreached}"
    assert {type(p) for p in one_of_each} == set(our_page_models) & {type(p) for p in live}
    assert len(log) > 60, log


def test_keyboard_users_skip_to_the_content_and_always_see_where_the_focus_is(
    page, platform, home_page
):
    from tests.factories.courses import catalogue_create

    catalogue_create(home_page)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Every control reached by Tab, from the top, shows a visible focus indicator.
    page.goto("/")
    unmarked, reached = [], 0
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el === document.body) return null;  // past the last control
                const s = getComputedStyle(el);
                return [el.outerHTML.slice(0, 80), s.outlineStyle, s.outlineWidth, s.boxShadow];
            }"""
        )
        if style is None:
            break
        reached += 1
        html, outline, width, shadow = style
        if (outline == "none" or width == "0px") and shadow == "none":
            unmarked.append(html)
    assert unmarked == []
    assert reached >= 5
