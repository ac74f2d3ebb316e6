"""The benchmark's servers: PostgreSQL, Redis, gunicorn apps, all on loopback."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from .core import PY, ROOT, log

BIN = ROOT / ".venv" / "bin"


def port_base(explicit: int | None) -> int:
    """The team's slots: TEST_PG_PORT 554NN owns ports 21000 + NN * 100 ... + 99; the
    production smoke test uses +50..+55 of it, the benchmark +80..+89."""
    if explicit:
        return explicit
    pg = int(os.environ.get("TEST_PG_PORT", "55432"))
    return 21000 + (pg - 55400) * 100 + 80 if 55400 <= pg < 55500 else 24380


def ports_from(base: int) -> dict:
    return {name: base + i for i, name in enumerate(["pg", "redis", "app", "hello", "peer"])}


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, seconds: float, name: str, procs) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.2)
    raise SystemExit(f"{name} did not start on port {port}:\n{procs.log(name)[-3000:]}")


class Processes:
    """Processes started by the benchmark, each in its own process group."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], *, env=None, cwd=ROOT) -> subprocess.Popen:
        log_file = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def stop(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_postgres(port: int) -> str:
    env = {**os.environ, "TEST_PG_PORT": str(port)}
    subprocess.run([str(ROOT / "scripts" / "testdb.sh"), "start"], env=env, check=True)
    return f"postgres://postgres@127.0.0.1:{port}/elearning"


def stop_postgres(port: int) -> None:
    env = {**os.environ, "TEST_PG_PORT": str(port)}
    subprocess.run([str(ROOT / "scripts" / "testdb.sh"), "stop"], env=env, check=False)


def create_database(port: int, name: str) -> str:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-qc",
            f"CREATE DATABASE {name}",
        ],
        check=True,
        capture_output=True,
    )
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def start_redis(procs: Processes, port: int) -> str:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        raise SystemExit("redis-server is missing: run scripts/system-deps.sh bench as root")
    procs.start(
        "redis",
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    )
    wait_port(port, 30, "redis", procs)
    return f"redis://127.0.0.1:{port}/0"


def platform_env(*, work: Path, database_url: str, cache_url: str, host: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "PLATFORM_BASE_URL": f"https://{host}",
            "H5P_CONTENT_ORIGIN": f"https://content.{host}",
            "ALLOWED_HOSTS": f"{host},content.{host},127.0.0.1",
            "STATIC_ROOT": str(work / "static"),
            "STATIC_COMPRESS": "false",
            "MEDIA_ROOT": str(work / "media"),
            "H5P_ROOT": str(work / "h5p"),
            "EMAIL_URL": f"filemail:///{work / 'mail'}",
            "TRUSTED_PROXY_IPS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "CERTIFICATE_SIGNING_KEY_FILE": str(work / "signing-key.pem"),
        }
    )
    return env


def prepare_platform(env: dict, work: Path) -> None:
    def manage(*args, extra=None, **kwargs):
        return subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env={**env, **(extra or {})},
            capture_output=True,
            text=True,
            **kwargs,
        )

    key = manage(
        "generate_signing_key", extra={"CERTIFICATE_SIGNING_KEY_FILE": ""}, check=True, timeout=120
    )
    (work / "signing-key.pem").write_text(key.stdout)
    started = time.monotonic()
    for args in (("migrate", "--noinput", "-v", "0"), ("collectstatic", "--noinput", "-v", "0")):
        done = manage(*args, timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    log(f"migrate + collectstatic: {time.monotonic() - started:.0f} s")


def gunicorn_command(*, wsgi: str, port: int, workers: int, name: str) -> list[str]:
    """The same gunicorn settings for every app compared: sync workers, no access log."""
    return [
        str(BIN / "gunicorn"),
        wsgi,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--name",
        name,
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]


def start_app(procs: Processes, *, name, wsgi, port, workers, env, cwd=ROOT) -> None:
    procs.start(
        name, gunicorn_command(wsgi=wsgi, port=port, workers=workers, name=name), env=env, cwd=cwd
    )
    wait_port(port, 120, name, procs)
