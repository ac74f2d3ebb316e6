from pathlib import Path

import pytest

from tests.browser.csp import describe, watch_csp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def csp_violations():
    """What the browser refused under a Content-Security-Policy during the test."""
    return []


@pytest.fixture(autouse=True)
def csp_watched_contexts(request, csp_violations):
    """Every browser context a test opens (the `page` fixture's, a test's own phones or
    second devices) is watched; anything the CSP refused in any of them fails the test."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def watched(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_csp(context, csp_violations)
        return context

    browser.new_context = watched
    try:
        yield
    finally:
        del browser.new_context
    # Every journey runs under the real CSP: anything it refused is a broken page.
    assert not csp_violations, "CSP violations:\n" + describe(csp_violations)


@pytest.fixture
def page(request, browser, live_server, home_page, csp_violations):
    # An English-language browser: the platform must still answer in Vietnamese.
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def platform(settings, live_server):
    """The live server as the platform, with its H5P content origin on content.localhost."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.H5P_CONTENT_ORIGIN = live_server.url.replace("//localhost", "//content.localhost")
    return live_server
