"""Does sign-up tell whether an address is registered by how long it takes? Prints the
median time of a sign-up with a new address and with a registered one, and their ratio,
with production's password hasher (PBKDF2) and task backend (mail queued in the database),
then the same without the equalising step, to show what it removes. Not a test: timings
are printed, not asserted.

    export TEST_PG_PORT=55432   # any free port
    scripts/testdb.sh start
    .venv/bin/python scripts/bench_signup.py [rounds]
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
port = os.environ.get("TEST_PG_PORT", "55432")
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/elearning")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PASSWORD = "Hoc-tap-suot-doi-2026"  # noqa: S105 - a throwaway test account


def signup(email: str, n: int) -> float:
    client = Client(REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
    started = time.perf_counter()
    response = client.post(
        "/accounts/signup/",
        {"full_name": "Người Thử", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"sign-up answered {response.status_code}")
    return elapsed


def measure(rounds: int, tag: str) -> tuple[float, float]:
    from accounts.models import User

    known = f"da-co-{tag}@pcmd.example"
    User.objects.create_user(email=known, password=PASSWORD, full_name="Đã Có")
    new, existing = [], []
    for i in range(rounds):  # interleaved, so drift in the machine's load hits both alike
        new.append(signup(f"moi-{tag}-{i}@pcmd.example", 2 * i))
        existing.append(signup(known, 2 * i + 1))
    return statistics.median(new), statistics.median(existing)


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        ):
            from accounts.signup import SignupForm

            signup("khoi-dong@pcmd.example", 10**6)  # warm caches and templates
            new, existing = measure(rounds, "a")
            print(f"sign-up, {rounds} rounds each (median):")
            print(f"  new address         {new * 1000:8.1f} ms")
            print(f"  registered address  {existing * 1000:8.1f} ms")
            print(f"  ratio registered/new: {existing / new:.2f}")
            equalising = SignupForm.try_save
            SignupForm.try_save = SignupForm.__mro__[1].try_save  # allauth's own
            try:
                new, existing = measure(rounds, "b")
            finally:
                SignupForm.try_save = equalising
            print(
                f"without the equalising hash: ratio {existing / new:.2f} "
                f"({existing * 1000:.1f} ms vs {new * 1000:.1f} ms)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
