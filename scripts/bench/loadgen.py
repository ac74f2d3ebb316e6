"""wrk, the load generator (Debian package `wrk`): find it, run it, read its output."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from .core import Context, Result, Scenario

INSTALL_HINT = (
    "wrk is not installed. It is the load generator this benchmark needs (a Python client "
    "tops out below the bare hello's rate, so its ratios would be wrong). Install it, with "
    "the benchmark's other Debian packages, by running as root\n"
    "    scripts/system-deps.sh bench\n"
    "(or: sudo apt-get install wrk), or pass --wrk /path/to/wrk (or set WRK=/path/to/wrk)."
)


def find_wrk(explicit: str | None) -> str:
    candidate = explicit or os.environ.get("WRK") or shutil.which("wrk")
    if not candidate or not Path(candidate).is_file():
        raise SystemExit(INSTALL_HINT)
    return candidate


def _unit_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(output: str) -> Result:
    result = Result()
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.rps = float(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        result.requests = int(match.group(1))
    for label, attr in (("50%", "p50_ms"), ("99%", "p99_ms")):
        if match := re.search(rf"^\s+{label}\s+([\d.]+\w+)", output, re.MULTILINE):
            setattr(result, attr, _unit_ms(match.group(1)))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result.errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result.errors += sum(int(x) for x in match.groups())
    return result


def wrk_run(ctx: Context, scenario: Scenario, *, seconds: float) -> Result:
    connections = scenario.connections or ctx.options.connections
    threads = max(1, min(2, connections))
    headers = {
        "Host": scenario.host or (None if scenario.base_url else ctx.host),
        # As the reverse proxy says it: the platform is HTTPS only.
        "X-Forwarded-Proto": "https",
        "Cookie": scenario.cookie,
        "Accept-Language": "vi",
    }
    command = [
        ctx.wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in headers.items():
        if value:
            command += ["-H", f"{name}: {value}"]
    if scenario.lua:
        command += ["-s", scenario.lua]
    command.append((scenario.base_url or ctx.platform_url) + (scenario.path or "/"))
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed for {scenario.name}: {done.stderr or done.stdout}")
    result = parse(done.stdout)
    result.extra["output"] = done.stdout
    return result


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def wrk_requests(
    ctx: Context, scenario: Scenario, entries: list[dict], *, seconds: float, offset: int = 0
) -> Result:
    """POST each entry ({"path", "cookie", "body"}) once, in order from `offset`, with one
    wrk thread (so the order is one sequence) and scenario.connections connections; wraps
    around when it runs out (the scenario's checks see it). Result.extra["used"] says how
    many entries this run took."""
    origin = f"https://{ctx.host}"
    rows = ",\n".join(
        "{" + ", ".join(f"{k}={_lua_string(str(e[k]))}" for k in ("path", "cookie", "body")) + "}"
        for e in entries
    )
    script = ctx.work / f"{scenario.name.replace(' ', '-')}.lua"
    script.write_text(
        f"""
local entries = {{
{rows}
}}
-- wrk calls request() once before the run to check what it returns (script_verify_request):
-- that call takes the entry before `offset`, so the first one sent is entries[offset].
local i = {offset} - 1
request = function()
  local e = entries[(i % #entries) + 1]
  i = i + 1
  return wrk.format("POST", e.path, {{
    ["Host"] = "{ctx.host}",
    ["X-Forwarded-Proto"] = "https",
    ["Origin"] = "{origin}",
    ["Referer"] = "{origin}" .. e.path,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept-Language"] = "vi",
    ["Cookie"] = e.cookie,
  }}, e.body)
end
"""
    )
    command = [
        ctx.wrk,
        "-t1",
        f"-c{scenario.connections or ctx.options.connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        ctx.platform_url + "/",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed for {scenario.name}: {done.stderr or done.stdout}")
    result = parse(done.stdout)
    result.extra["output"] = done.stdout
    # Requests sent but cut off by the end of the run count as used too.
    result.extra["used"] = result.requests + (scenario.connections or ctx.options.connections)
    return result


def one_request(
    ctx: Context,
    method: str,
    path: str,
    *,
    cookie: str,
    body: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, str, bytes, float]:
    """One request to the platform as the proxy forwards it, read to the end: status,
    Content-Type, body and seconds."""
    host, port = ctx.platform_url.split("://", 1)[1].split(":")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    connection.request(
        method,
        path,
        body=body,
        headers={
            "Host": ctx.host,
            "Cookie": cookie,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "vi",
            **(headers or {}),
        },
    )
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return (
        response.status,
        response.getheader("Content-Type", ""),
        content,
        time.perf_counter() - started,
    )
