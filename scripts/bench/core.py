"""The benchmark's registry, run loop and table (see scripts/bench/__init__.py)."""

from __future__ import annotations

import importlib
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

# Scenario groups, in the order of the table. Each is a module of this package with GROUP.
GROUPS = ["pages", "quiz", "peer", "exports", "hr", "records"]


@dataclass
class Result:
    """One measurement of a scenario in one round."""

    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    errors: int = 0  # socket errors, timeouts and non-2xx/3xx answers
    seconds: float | None = None  # for timed scenarios (an export, a COPY)
    extra: dict = field(default_factory=dict)


@dataclass
class Scenario:
    name: str
    group: str
    # A page loaded by wrk ...
    path: str | None = None
    cookie: str | None = None
    connections: int | None = None  # default: --connections
    lua: str | None = None  # a wrk script (POSTs, several users); path to a .lua file
    base_url: str | None = None  # default: the platform
    host: str | None = None  # Host header; default: the platform's host name
    max_seconds: float | None = None  # a wrk run's length at most (default: --duration)
    # ... or a measurement of its own.
    measure: Callable[[Context], Result] | None = None
    baseline: str | None = "hello"
    compare: str = "rps"  # "rps": own/baseline; "time": baseline seconds / own seconds
    goal: float | None = None
    probe: bool = False  # count queries and writes of one GET (after a warm-up GET)
    note: str = ""
    max_p99_ms: float | None = None
    after_rounds: Callable[[Context], dict] | None = None  # checks after the last round


@dataclass
class Group:
    name: str
    scenarios: Callable[[Context, dict], list[Scenario]]
    setup_data: Callable[[dict], dict] | None = None
    # Skip the group (with this reason) when it returns a string, e.g. a missing path.
    unavailable: Callable[[Context], str | None] | None = None
    # Start the group's own servers (e.g. the peer LMS), after the platform's.
    start: Callable[[Context, dict], None] | None = None


class Context:
    """What scenarios need: addresses, the Django environment, the load generator."""

    def __init__(self, *, options, ports: dict, env: dict, work: Path, wrk: str, procs):
        self.options = options
        self.ports = ports
        self.env = env
        self.work = work
        self.wrk = wrk
        self.procs = procs
        self.host = "pcmd.localhost"
        self.platform_url = f"http://127.0.0.1:{ports['app']}"
        self.hello_url = f"http://127.0.0.1:{ports['hello']}"
        self.shared: dict = {}  # facts groups pass on to each other (e.g. the peer's URLs)
        self.results: dict[str, list[Result]] = {}  # each scenario's rounds, for after_rounds

    def django(self, *args: str, timeout: float = 3600) -> dict:
        """Run scripts/bench/django_side.py with the platform's environment; its last line
        of output is JSON."""
        started = time.monotonic()
        done = subprocess.run(
            [PY, str(ROOT / "scripts" / "bench" / "django_side.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise SystemExit(f"django_side {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        label = args[1] if args[0] == "setup" else ""
        log(f"django_side {args[0]} {label}: {time.monotonic() - started:.0f} s")
        return json.loads(done.stdout.strip().splitlines()[-1])


def log(message: str) -> None:
    print(f"  · {message}", file=sys.stderr, flush=True)


def load_groups(only: list[str] | None) -> list[Group]:
    groups = []
    for name in GROUPS:
        if only and name not in only:
            continue
        groups.append(importlib.import_module(f"scripts.bench.{name}").GROUP)
    return groups


def hello_scenario(ctx: Context) -> Scenario:
    return Scenario(
        name="hello",
        group="reference",
        path="/",
        base_url=ctx.hello_url,
        baseline=None,
        note="a bare Django view under the same gunicorn settings",
    )


def run(ctx: Context, groups: list[Group], *, start_servers: Callable[[], None]) -> dict:
    from . import loadgen

    prepared = []
    for group in groups:
        reason = group.unavailable(ctx) if group.unavailable else None
        if reason:
            log(f"group {group.name} skipped: {reason}")
            continue
        data = {}
        if group.setup_data is not None:
            data = ctx.django("setup", group.name, json.dumps(vars(ctx.options), default=str))
        prepared.append((group, data))
    start_servers()
    scenarios = [hello_scenario(ctx)]
    for group, data in prepared:
        if group.start is not None:
            group.start(ctx, data)
        scenarios.extend(group.scenarios(ctx, data))

    probes = [s for s in scenarios if s.probe]
    probed = {}
    if probes:
        probed = ctx.django(
            "probe",
            json.dumps([{"name": s.name, "path": s.path, "cookie": s.cookie} for s in probes]),
        )

    log("warm-up")
    # Every worker's first requests import and compile what the scenarios need.
    loadgen.wrk_run(ctx, Scenario(name="warm-up", group="", path="/accounts/login/"), seconds=3)
    for scenario in scenarios:
        if scenario.measure is None:
            loadgen.wrk_run(ctx, scenario, seconds=2)
    results: dict[str, list[Result]] = {s.name: [] for s in scenarios}
    ctx.results = results
    for round_no in range(1, ctx.options.rounds + 1):
        for scenario in scenarios:
            if scenario.measure is not None:
                result = scenario.measure(ctx)
            else:
                seconds = min(ctx.options.duration, scenario.max_seconds or ctx.options.duration)
                result = loadgen.wrk_run(ctx, scenario, seconds=seconds)
            results[scenario.name].append(result)
            log(f"round {round_no} {scenario.name}: {describe(result)}")
    checks = {s.name: s.after_rounds(ctx) for s in scenarios if s.after_rounds}
    return {
        "scenarios": scenarios,
        "results": results,
        "probes": probed,
        "checks": checks,
    }


def describe(result: Result) -> str:
    if result.rps is not None:
        return (
            f"{result.rps:.1f} req/s p50 {fmt(result.p50_ms)} ms p99 {fmt(result.p99_ms)} ms"
            f" errors {result.errors}"
        )
    return f"{fmt(result.seconds, 3)} s"


def fmt(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio_of(scenario: Scenario, own: Result, base: Result) -> float | None:
    if scenario.compare == "time":
        if own.seconds and base.seconds:
            return base.seconds / own.seconds
        return None
    if own.rps is not None and base.rps:
        return own.rps / base.rps
    return None


def spread(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{min(values):.3g}–{max(values):.3g}"


def report(ctx: Context, outcome: dict) -> str:
    scenarios: list[Scenario] = outcome["scenarios"]
    results: dict[str, list[Result]] = outcome["results"]
    by_name = {s.name: s for s in scenarios}
    lines = [
        f"Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · "
        f"{cpu_model()} · {cpu_count()} cores · Python {platform.python_version()}",
        f"gunicorn {ctx.options.workers} sync workers per app · wrk -c{ctx.options.connections}"
        f" (quiz: -c16) · {ctx.options.rounds} rounds × {ctx.options.duration} s, interleaved"
        " · median (min–max over rounds)",
        "",
        f"{'scenario':<26} {'req/s':>8} {'spread':>13} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'err':>4} {'ratio':>7} {'spread':>13} {'goal':>6} {'q/req':>5} {'writes':>6}",
    ]
    missed = []
    for scenario in scenarios:
        own = results[scenario.name]
        rps = [r.rps for r in own if r.rps is not None]
        secs = [r.seconds for r in own if r.seconds is not None]
        ratios = []
        if scenario.baseline and scenario.baseline in results:
            base = results[scenario.baseline]
            ratios = [
                x for x in (ratio_of(scenario, o, b) for o, b in zip(own, base, strict=False)) if x
            ]
        ratio = statistics.median(ratios) if ratios else None
        probe = outcome["probes"].get(scenario.name, {})
        if rps:
            first = f"{statistics.median(rps):8.1f} {spread(rps):>13}"
        elif secs:
            first = f"{statistics.median(secs):7.3f}s {spread(secs):>13}"
        else:
            first = f"{'–':>8} {'–':>13}"
        p50 = median_or_none([r.p50_ms for r in own])
        p99 = median_or_none([r.p99_ms for r in own])
        goal = f"≥{scenario.goal:g}" if scenario.goal else ""
        if scenario.goal and (ratio is None or ratio < scenario.goal):
            missed.append(f"{scenario.name}: ratio {fmt(ratio, 3)} < {scenario.goal:g}")
        if scenario.max_p99_ms and (p99 is None or p99 >= scenario.max_p99_ms):
            missed.append(f"{scenario.name}: p99 {fmt(p99)} ms ≥ {scenario.max_p99_ms:g} ms")
        errors = sum(r.errors for r in own)
        if (scenario.goal or scenario.max_p99_ms) and errors:
            # Every goal includes zero errors: a fast refusal must not pass for a fast answer.
            missed.append(f"{scenario.name}: {errors} errors (goal 0)")
        lines.append(
            f"{scenario.name:<26} {first} {fmt(p50):>7} {fmt(p99):>7} {errors:>4} "
            f"{fmt(ratio, 3):>7} {spread(ratios):>13} {goal:>6} "
            f"{probe.get('queries', ''):>5} {probe.get('writes', ''):>6}"
        )
    lines.append("")
    lines.append(
        "ratio: req/s over the baseline's in the same round (hello unless noted); "
        "q/req, writes: SQL queries and INSERT/UPDATE/DELETE of one request (after a warm-up)."
    )
    for scenario in scenarios:
        if scenario.baseline not in (None, "hello"):
            lines.append(f"  {scenario.name}: baseline {by_name[scenario.baseline].name}")
        if scenario.note:
            lines.append(f"  {scenario.name}: {scenario.note}")
    for name, check in outcome["checks"].items():
        lines.append(f"  {name}: {json.dumps(check, ensure_ascii=False)}")
    for name, probe in outcome["probes"].items():
        if probe.get("status") not in (200, None):
            lines.append(f"  {name}: probe answered HTTP {probe.get('status')}")
    lines.append("Goals missed: " + ("; ".join(missed) if missed else "none"))
    return "\n".join(lines)


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0))
