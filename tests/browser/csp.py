"""Content-Security-Policy violations seen by the browser, in every frame of a context.

Every browser test's page is watched (conftest.py): a violation of the platform's or the
content origin's policy, reported by the `securitypolicyviolation` event or by Chromium's
console, fails the test at teardown. A test that provokes one on purpose reads and clears
the `csp_violations` list."""

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    if (typeof window.__pcmdCspViolation !== "function") return;
    window.__pcmdCspViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
        page: event.documentURI,
        disposition: event.disposition,
    });
}, true);
"""


# Refusals that change nothing, each with the reason. Keep this list short.
HARMLESS = [
    # Wagtail's focal-point cropper (Jcrop) tests for touch events by setting an
    # "ontouch…" attribute on a detached <div>; refused, it concludes "no touch", which is
    # what a desktop browser without CSP concludes too (touch browsers answer earlier).
    ("script-src-attr", "wagtailimages/js/vendor/jquery.Jcrop.min.js"),
]


def _harmless(violation: dict) -> bool:
    text = " ".join(str(value) for value in violation.values())
    return any(
        (violation.get("directive") == directive or "inline event handler" in text)
        and where in text
        for directive, where in HARMLESS
    )


def watch_csp(context, violations: list) -> None:
    """Record every CSP violation in any page or frame of this browser context."""

    def reported(source, violation):
        if not _harmless(violation):
            violations.append(violation)

    context.expose_binding("__pcmdCspViolation", reported)
    context.add_init_script(LISTENER)

    def console(message):
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            violation = {"console": text, "page": message.location.get("url", "")}
            if not _harmless(violation):
                violations.append(violation)

    context.on("console", console)


def describe(violations: list) -> str:
    return "\n".join(str(violation) for violation in violations)
