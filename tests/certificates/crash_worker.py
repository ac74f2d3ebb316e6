"""A real process for the crash tests in test_exactly_once.py, killed with SIGKILL.

Run as ``python -m tests.certificates.crash_worker PLAN`` (JSON). Django starts once; each
scenario runs in a child forked from it, which completes a trainee's last lesson with a
SIGKILL armed at one point of the certificate's way (after the completion commits, inside or
after each step). Then ``reconcilers`` children run ``reconcile_certificates`` at the same
moment. E-mails go to the file backend in CRASH_MAIL_DIR, so every process's mail is counted.
Prints {"killed": {scenario: bool}, "reconcilers": [exit codes]}.
"""

import json
import os
import signal
import sys


def _kill():
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(point: str) -> None:
    from django.core.mail import EmailMessage

    from certificates import issuance

    if point == "inside-issue":  # the certificate row written, its transaction not committed
        issuance.audit_record = lambda **kwargs: _kill()
    elif point == "after-issue-commit":
        issuance.certificate_render_pdf = lambda *args, **kwargs: _kill()
    elif point == "after-pdf-stored":  # the file written, its row not updated
        store = issuance._store_pdf

        def stored_then_killed(certificate, content):
            store(certificate, content)
            _kill()

        issuance._store_pdf = stored_then_killed
    elif point == "after-render-commit":
        issuance.certificate_email = lambda *args, **kwargs: _kill()
    elif point == "after-mail-sent":  # accepted by the mail backend, `emailed_at` not committed
        send = EmailMessage.send

        def sent_then_killed(self, *args, **kwargs):
            send(self, *args, **kwargs)
            _kill()

        EmailMessage.send = sent_then_killed


def _scenario(scenario: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from courses.models import CoursePage, LessonPage
    from courses.services import lesson_complete

    user = get_user_model().objects.get(pk=scenario["user"])
    course = CoursePage.objects.get(pk=scenario["course"])
    lesson = LessonPage.objects.get(pk=scenario["lesson"])
    _arm(scenario["point"])
    with transaction.atomic():
        if scenario["point"] == "after-completion-commit":
            # Registered first, so it runs first once the completion commits: the process
            # dies between that commit and the task's enqueue.
            transaction.on_commit(_kill)
        lesson_complete(user=user, course=course, lesson=lesson)


def _fork(target) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            target()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # report, then leave without running the parent's cleanup
            import traceback

            traceback.print_exc()
            code = 1
        os._exit(code)
    return pid


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["CRASH_MAIL_DIR"]
    plan = json.loads(sys.argv[1])
    connections.close_all()  # each child opens its own connection

    killed = {}
    for scenario in plan.get("scenarios", []):
        pid = _fork(lambda scenario=scenario: _scenario(scenario))
        _, status = os.waitpid(pid, 0)
        killed[scenario["name"]] = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    def reconcile():
        try:
            call_command("reconcile_certificates", verbosity=0)
        finally:
            connections.close_all()

    pids = [_fork(reconcile) for _ in range(plan.get("reconcilers", 0))]
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    print(json.dumps({"killed": killed, "reconcilers": codes}))


if __name__ == "__main__":
    main()
