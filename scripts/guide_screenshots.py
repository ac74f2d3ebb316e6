#!/usr/bin/env python
"""Make the authoring guide's screenshots (home/static/home/guide/*.png) from the demo.

    .venv/bin/python scripts/guide_screenshots.py

It builds a throwaway SQLite database (migrate + load_demo, about two minutes), serves it
with runserver on a free loopback port, signs the demo trainer in with a fresh authenticator
and photographs the screens the guide names in Debian's Chromium. Nothing outside the
temporary folder is touched except the PNG files.

The PNGs are committed: a deployment shows the guide without Chromium or the demo data
(production installs neither), and they change only when the admin's look does. Re-run this
script then; the guide's test checks that every screenshot it names exists.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "home" / "static" / "home" / "guide"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRAINER = "giangvien@pcmd.example"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(env: dict) -> dict:
    """Migrate, load the demo and set up what the screens show; returns ids and a TOTP
    secret for the trainer (run in a child process with the throwaway database)."""
    code = r"""
import json, django, pyotp
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import User
from assessments.models import QuizPage
from courses.models import CoursePage, LessonPage
from courses.selectors import course_steps
from courses.services import enrolment_create, step_complete
trainer = User.objects.get(email="giangvien@pcmd.example")
secret = pyotp.random_base32()
TOTP.activate(trainer, secret)
course = CoursePage.objects.get(code="PCMD-101")
trainee = User.objects.get(email="hocvien@pcmd.example")
enrolment_create(user=trainee, course=course)
steps = course_steps(course=course)
for step in steps[:2]:
    step_complete(user=trainee, course=course, step=step)
lesson = next(s for s in steps if isinstance(s, LessonPage))
quiz = next(s for s in steps if isinstance(s, QuizPage))
print(json.dumps({"secret": secret, "course": course.pk, "lesson": lesson.pk, "quiz": quiz.pk}))
"""
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    import json

    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _optimise(path: Path) -> None:
    """A palette of 128 colours, no dithering: the admin's flat colours and text stay sharp
    and the file is about a third of the size."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def main() -> None:
    import pyotp
    from playwright.sync_api import expect, sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="guide-screens-"))
    env = {
        **os.environ,
        # The test settings take every folder from the environment; whitenoise serves the
        # static files without DEBUG.
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "TEST_MEDIA_ROOT": str(folder / "media"),
        "TEST_H5P_ROOT": str(folder / "h5p"),
        "TEST_PACKAGE_ROOT": str(folder / "packages"),
        "PYTHONPATH": str(ROOT),
    }
    print("Building the demo in", folder)
    ids = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
            )
            page = browser.new_page(
                base_url=base, locale="vi-VN", viewport={"width": 1280, "height": 800}
            )
            page.set_default_timeout(30_000)
            page.goto("/accounts/login/")
            page.locator("input[name=login]").fill(TRAINER)
            page.locator("input[name=password]").fill("Demo-PCMD-2026")
            page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
            page.locator("input[name=code]").fill(pyotp.TOTP(ids["secret"]).now())
            page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
            expect(page).to_have_url(re.compile(r"/(dashboard|admin)/"), timeout=60_000)

            def shot(name: str):
                page.wait_for_timeout(500)
                path = OUT / f"{name}.png"
                page.screenshot(path=str(path))
                _optimise(path)
                print("wrote", path, path.stat().st_size, "bytes")

            page.goto(f"/admin/pages/{ids['course']}/")
            # The course's own actions (learners, copy, export) sit in the header's menu.
            page.locator("#w-slim-header-buttons button").first.click()
            shot("khoa-hoc")
            page.goto(f"/admin/pages/{ids['lesson']}/edit/")
            page.get_by_role("button", name="Chèn một khối").nth(1).click()
            shot("bai-hoc")
            page.goto(f"/admin/pages/{ids['quiz']}/edit/")
            page.get_by_role("button", name="Thêm: Câu hỏi luôn có trong bài").click()
            page.get_by_role("button", name="Chọn câu hỏi").last.click()
            page.get_by_role("dialog").locator("table").wait_for()
            shot("bai-kiem-tra")
            page.goto("/admin/snippets/assessments/question/")
            shot("ngan-hang-cau-hoi")
            page.goto("/admin/snippets/content/h5pcontent/")
            shot("hoat-dong-h5p")
            page.goto(f"/admin/courses/{ids['course']}/learners/")
            shot("bao-cao")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
