"""Benchmark of the pages trainees and HR wait for (a benchmark, not a test; not in CI).

    scripts/bench_pages.py [--rounds 3] [--duration 10] [--only pages,...] [--peer PATH]

Starts its own PostgreSQL, Redis, the platform under gunicorn with the production settings
and a bare Django "hello" app under the same gunicorn settings, all on loopback ports of
this worktree's slot (from TEST_PG_PORT, or --port-base). Creates the data each scenario
group needs (scripts/bench/<group>.py), drives load with wrk, and prints, over interleaved
rounds, requests per second (median and spread), p50/p99, errors, the ratio to the bare
hello (or to the scenario's own baseline, e.g. COPY), the goal and the queries and writes of
one request. Needs wrk: `scripts/system-deps.sh bench` as root (or `make bench`) installs
it. How to add a scenario: scripts/bench/__init__.py.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench import core, infra, loadgen


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4, help="wrk -c for page scenarios")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per app")
    parser.add_argument("--learners", type=int, default=10_000, help="learners in the course")
    parser.add_argument(
        "--quiz-attempts", type=int, default=4000, help="quiz attempts per start/submit"
    )
    parser.add_argument("--only", default="", help="comma-separated scenario groups")
    parser.add_argument("--peer", default="", help="path of a wagtail-lms checkout")
    parser.add_argument("--wrk", default="", help="path of wrk (default: on PATH, or $WRK)")
    parser.add_argument("--port-base", type=int, default=0, help="first of 5 loopback ports")
    parser.add_argument("--no-curriculum", action="store_true", help="skip the starter courses")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument("--output", default="", help="also write the table to this file")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration <= 0:
        parser.error("--rounds and --duration must be positive")
    return args


def main() -> None:
    options = parse_args()
    wrk = loadgen.find_wrk(options.wrk)
    ports = infra.ports_from(infra.port_base(options.port_base))
    busy = [f"{name}={port}" for name, port in ports.items() if infra.port_open(port)]
    if busy:
        raise SystemExit(f"ports already in use: {', '.join(busy)} (use --port-base)")
    work = Path(tempfile.mkdtemp(prefix="pcmd-bench-"))
    (work / "logs").mkdir()
    procs = infra.Processes(work / "logs")
    started = time.monotonic()
    try:
        database_url = infra.start_postgres(ports["pg"])
        cache_url = infra.start_redis(procs, ports["redis"])
        env = infra.platform_env(
            work=work, database_url=database_url, cache_url=cache_url, host="pcmd.localhost"
        )
        ctx = core.Context(options=options, ports=ports, env=env, work=work, wrk=wrk, procs=procs)
        infra.prepare_platform(env, work)
        groups = core.load_groups([g for g in options.only.split(",") if g] or None)
        # Data first, then the servers: nothing cached from before the data exists.
        outcome = core.run(ctx, groups, start_servers=lambda: start_servers(ctx))
        table = core.report(ctx, outcome)
        print(table)
        if options.output:
            Path(options.output).write_text(table + "\n")
        core.log(f"total {time.monotonic() - started:.0f} s; logs in {work / 'logs'}")
    finally:
        procs.stop_all()
        infra.stop_postgres(ports["pg"])
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


def start_servers(ctx: core.Context) -> None:
    workers = ctx.options.workers
    infra.start_app(
        ctx.procs,
        name="app",
        wsgi="config.wsgi:application",
        port=ctx.ports["app"],
        workers=workers,
        env=ctx.env,
    )
    infra.start_app(
        ctx.procs,
        name="hello",
        wsgi="scripts.bench.hello:application",
        port=ctx.ports["hello"],
        workers=workers,
        env={k: v for k, v in ctx.env.items() if k != "DJANGO_SETTINGS_MODULE"},
    )


if __name__ == "__main__":
    main()
