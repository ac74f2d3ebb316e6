"""axe-core (from npm) in the browser tests: run it on a page and every frame in it, and keep
what it finds serious or critical against WCAG 2.1 A and AA.

Only the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa run (axe's best practices do not,
which also keeps each run short), plus the rules named in `extra` — `landmark-unique` on our
own pages, because the issue asks that a lesson's repeated citation cards be told apart by
their labels; it is a best practice of moderate impact for axe, and fails here all the same.

The engine is evaluated through Playwright, not added as a <script>, so the page's CSP does
not get in its way and the page under test runs none of our code but axe. Each frame (the
H5P player's, on the content origin, too) is checked as a document of its own.

    from tests.browser.axe import axe_violations
    assert axe_violations(page) == []
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
# Our pages: a repeated citation card must be told apart from the next one by its label.
OUR_PAGES = frozenset({"landmark-unique"})

_RUN = """
async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules,
    resultTypes: ["violations"],
    iframes: false,
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}
"""

_cached: list[str] = []


def _source() -> str:
    if not _cached:
        if not AXE.exists():
            raise RuntimeError(f"{AXE} is missing: `make install` installs axe-core from npm")
        _cached.append(AXE.read_text() + "\n;undefined")
    return _cached[0]


def axe_run(page, *, extra=frozenset()) -> list[dict]:
    """Every violation axe finds on the page and in its frames, each with the frame's URL."""
    found = []
    for frame in page.frames:
        if frame.url in ("", "about:blank") or frame.is_detached():
            continue
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(_source())
        for violation in frame.evaluate(_RUN, [TAGS, sorted(extra)]):
            found.append({**violation, "frame": frame.url})
    return found


def axe_violations(page, *, extra=frozenset()) -> list[str]:
    """The serious and critical violations (and any of the `extra` rules') as readable lines,
    empty when the page passes."""
    lines = []
    for v in axe_run(page, extra=extra):
        if v["impact"] in FAILING or v["id"] in extra:
            for node in v["nodes"][:5]:
                where = f"{v['frame']}: {v['id']} ({v['impact']})"
                lines.append(f"{where} {v['help']}: {node['target']}")
            if len(v["nodes"]) > 5:
                lines.append(f"{v['frame']}: {v['id']}: and {len(v['nodes']) - 5} more")
    return lines
