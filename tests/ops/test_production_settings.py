"""Production settings come from the environment: the documented minimal environment passes
`check --deploy` silently, and each missing variable is refused in one line naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
EXAMPLE = BASE_DIR / "deploy" / "pcmd.env.example"
REQUIRED = ["SECRET_KEY", "DATABASE_URL", "CACHE_URL", "PLATFORM_BASE_URL", "H5P_CONTENT_ORIGIN"]


def documented_minimal_environment(tmp_path) -> dict[str, str]:
    """The uncommented lines of deploy/pcmd.env.example, with its CHANGE-ME values filled."""
    env = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["SECRET_KEY"] = "q" * 20 + "-Z9!t#v2Lq8@zP4m&Rk7wN1cY5bJ0hF3dG6sA_eU-oI+yT=rE%p"
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("CHANGE-ME", "s3cret")
    key = tmp_path / "signing-key.pem"
    key.write_text(settings.CERTIFICATE_SIGNING_KEY)
    env["CERTIFICATE_SIGNING_KEY_FILE"] = str(key)
    assert not [value for value in env.values() if "CHANGE-ME" in value]
    return env


def manage(*args, env, program=("manage.py",)):
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    base = {k: v for k, v in os.environ.items() if k in keep}
    return subprocess.run(
        [sys.executable, *program, *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_example_lists_every_required_variable():
    text = EXAMPLE.read_text()
    for name in [*REQUIRED, "CERTIFICATE_SIGNING_KEY_FILE", "DJANGO_SETTINGS_MODULE"]:
        assert f"\n{name}=" in text


def test_check_deploy_is_silent_for_the_documented_minimal_environment(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=documented_minimal_environment(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


@pytest.mark.parametrize("name", REQUIRED)
def test_a_missing_variable_is_refused_in_one_line_naming_it(tmp_path, name):
    env = documented_minimal_environment(tmp_path)
    del env[name]

    result = manage("check", env=env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {name} is not set")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY is too short"),
        ("SECRET_KEY", "CHANGE-ME" * 10, "SECRET_KEY is too short"),
        ("CACHE_URL", "locmemcache://", "CACHE_URL must point at Redis"),
        ("CACHE_URL", "dbcache://platform_cache", "CACHE_URL must point at Redis"),
        ("PLATFORM_BASE_URL", "daotao.example.gov.vn", "PLATFORM_BASE_URL must be an origin"),
        (
            "H5P_CONTENT_ORIGIN",
            "https://daotao.example.gov.vn",
            "H5P_CONTENT_ORIGIN must be a different host",
        ),
        (
            "CERTIFICATE_SIGNING_KEY_FILE",
            "/nonexistent/key.pem",
            "CERTIFICATE_SIGNING_KEY_FILE cannot be read",
        ),
    ],
)
def test_an_unusable_value_is_refused_in_one_line(tmp_path, name, value, says):
    env = {**documented_minimal_environment(tmp_path), name: value}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert says in result.stderr


def test_without_a_signing_key_check_deploy_names_it(tmp_path):
    env = documented_minimal_environment(tmp_path)
    del env["CERTIFICATE_SIGNING_KEY_FILE"]

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "certificates.E001" in result.stderr


def test_the_signing_key_may_be_given_inline_as_generate_signing_key_prints_it(tmp_path):
    env = documented_minimal_environment(tmp_path)
    del env["CERTIFICATE_SIGNING_KEY_FILE"]
    env["CERTIFICATE_SIGNING_KEY"] = settings.CERTIFICATE_SIGNING_KEY.strip().replace("\n", "\\n")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr


def test_production_uses_redis_for_sessions_and_the_pool_for_postgresql(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_ENGINE, s.SESSION_CACHE_ALIAS, s.CACHES['default']['BACKEND'],"
        " s.CACHES['sessions']['BACKEND'], s.DATABASES['default']['OPTIONS']['pool']['max_size'],"
        " s.TASKS['default']['BACKEND'], sorted(s.ALLOWED_HOSTS), s.CSRF_TRUSTED_ORIGINS)"
    )
    result = manage(
        "shell", "--no-imports", "-c", code, env=documented_minimal_environment(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 6)[:6] == [
        "django.contrib.sessions.backends.cache",
        "sessions",
        "ops.cache.RedisCache",
        "ops.cache.RedisCache",
        "4",
        "django_tasks_db.DatabaseBackend",
    ]
    assert "['daotao.example.gov.vn', 'noidung.daotao.example.gov.vn']" in result.stdout
    assert "['https://daotao.example.gov.vn']" in result.stdout


def test_gunicorn_stops_with_the_same_one_line_when_a_variable_is_missing(tmp_path):
    env = documented_minimal_environment(tmp_path)
    del env["DATABASE_URL"]

    result = manage(
        "config.wsgi:application",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "1",
        env=env,
        program=("-m", "gunicorn"),
    )

    assert result.returncode != 0
    assert "Configuration error: DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_accounts_are_refused_under_production_settings(tmp_path):
    result = manage("load_demo", env=documented_minimal_environment(tmp_path))

    assert result.returncode != 0
    assert "Refusing to load demo accounts" in result.stderr
