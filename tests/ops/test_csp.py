"""The Content-Security-Policy: on every platform page, public, trainee, HR and admin; scripts
only from the platform or with this response's nonce; the content origin keeps its own
policy; Wagtail's inline scripts carry the nonce. (The browser tests run every journey
under this policy and fail on any violation: tests/browser/csp.py.)"""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from accounts.roles import ADMINISTRATOR, HR_OFFICER
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import password_login, staff_login
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict(response, path=""):
    policy = directives(response)
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
    assert "*" not in scripts and "https:" not in scripts and "data:" not in scripts, path
    assert policy["default-src"] == ["'self'"], path
    assert policy["object-src"] == ["'none'"], path
    assert policy["base-uri"] == ["'self'"], path
    assert policy["frame-ancestors"] in (["'none'"], ["'self'"]), path
    return policy


@pytest.fixture
def world(home_page):
    unit = organisation_create("Sở Lao động – Thương binh và Xã hội Mẫu")
    holder = UserFactory(organisation=unit)
    course, _lessons = course_create(catalogue_create(home_page), code="PCMD-C1", lessons=1)
    certificate = certificate_create(user=holder, course=course)
    return {"unit": unit, "holder": holder, "course": course, "certificate": certificate}


def test_public_pages_carry_the_policy(client, world):
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/verify/", "/nope-404/"):
        response = client.get(path)
        assert_strict(response, path)
    page = client.get(f"/verify/{world['certificate'].code}/")
    assert_strict(page)


def test_trainee_pages_carry_the_policy(client, world):
    password_login(client, world["holder"])
    for path in ("/dashboard/", "/certificates/", world["course"].url):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response, path)


def test_hr_pages_carry_the_policy(client, world):
    officer = UserFactory(role=HR_OFFICER, organisation=world["unit"])
    staff_login(client, officer)
    response = client.get("/hr/certificates/")
    assert response.status_code == 200
    assert_strict(response)


def test_every_admin_screen_carries_the_policy_and_nonces_match_it(client, world):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)
    client.raise_request_exception = False
    seen, failing = 0, []
    for route in walk():
        for path in route.samples:
            # Wagtail's /admin/failwhale/ raises on purpose (its error page test).
            skip = ("logout" in path, "<" in path, "failwhale" in path)
            if not path.startswith("/admin/") or any(skip):
                continue
            response = client.get(path)
            if response.status_code >= 500:
                failing.append(path)  # a 5xx on a made-up id: not this test's subject
                continue
            policy = assert_strict(response, path)
            seen += 1
            body = response.content.decode(errors="replace")
            nonces = set(re.findall(r'<script[^>]*\snonce="([^"]+)"', body))
            allowed = {value[len("'nonce-") : -1] for value in policy["script-src"]}
            assert nonces <= allowed, path
            # Every inline script Wagtail writes has the nonce; none is left without one.
            for script in re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", body):
                if 'type="application/json"' in script or "text/template" in script:
                    continue
                assert "nonce=" in script, f"{path}: <script{script}>"
    assert seen > 60
    # Wagtail's choosers answer a non-numeric id with a 500 (left for issue 10).
    assert all("/chosen/x/" in path for path in failing), failing


def test_the_page_editor_scripts_all_carry_the_nonce(client, world):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)
    # The course editor has date widgets (go-live, expiry) and inline panels.
    response = client.get(f"/admin/pages/{world['course'].pk}/edit/")
    body = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\ssrc=)(?![^>]*application/json)([^>]*)>", body)
    assert any("initDateTimeChooser" in s for s in body.split("<script")[1:])
    assert inline and all("nonce=" in attrs for attrs in inline)


def test_no_inline_script_or_handler_in_our_templates():
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)")
    found = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text()
        if handler.search(text) or inline.search(text) or "javascript:" in text:
            found.append(str(path.relative_to(ROOT)))
    assert found == []


# Wagtail templates with an inline script: our copies (ops/templates) differ only by the
# nonce, so a Wagtail upgrade that changes one cannot slip past.
NONCE_OVERRIDES = [
    "wagtailadmin/panels/inline_panel.html",
    "wagtailadmin/panels/multiple_chooser_panel.html",
    "wagtailadmin/widgets/date_input.html",
    "wagtailadmin/widgets/time_input.html",
    "wagtailadmin/widgets/datetime_input.html",
]


def _wagtail_admin_templates():
    import wagtail

    return Path(wagtail.__file__).parent


@pytest.mark.parametrize("name", NONCE_OVERRIDES)
def test_overridden_wagtail_templates_differ_only_by_the_nonce(name):
    theirs = (_wagtail_admin_templates() / "admin" / "templates" / name).read_text()
    ours = (ROOT / "ops" / "templates" / name).read_text()

    expected = theirs.replace("<script>", '<script nonce="{% csp_nonce %}">')
    if theirs.startswith("{% load ") or "{% load i18n l10n wagtailadmin_tags %}" in theirs:
        expected = expected.replace("{% load ", "{% load platform_csp ", 1)
    else:
        expected = "{% load platform_csp %}" + expected
    assert ours == expected


def test_every_inline_script_in_installed_wagtail_templates_is_overridden():
    from django.apps import apps

    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("wagtail"):
            continue
        templates = Path(config.path) / "templates"
        for path in templates.glob("**/*.html"):
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
                found.add(path.relative_to(templates).as_posix())
    assert found, "the scan found nothing: has Wagtail moved its templates?"
    assert found <= set(NONCE_OVERRIDES), sorted(found - set(NONCE_OVERRIDES))


def test_overrides_render_with_the_nonce_of_this_request():
    from ops.csp import PlatformCSPMiddleware

    seen = {}

    def view(request):
        from wagtail.admin.widgets import AdminDateInput

        seen["html"] = AdminDateInput().render("due", None, {"id": "id_due"})
        seen["chooser"] = _page_chooser_html()
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = PlatformCSPMiddleware(view)(RequestFactory().get("/admin/"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert f'<script nonce="{nonce}">initDateChooser(' in seen["html"]
    assert f'<script nonce="{nonce}">' in seen["chooser"]
    # Outside a request nothing has a nonce to give.
    from wagtail.admin.widgets import AdminDateInput

    outside = AdminDateInput().render("due", None, {"id": "id_due"})
    assert '<script nonce="">initDateChooser(' in outside


def _page_chooser_html():
    from wagtail.admin.widgets import AdminPageChooser

    return AdminPageChooser().render("page", None, {"id": "id_page"})


def test_the_content_origin_keeps_its_own_policy():
    content = Client(HTTP_HOST="content.localhost:8000")
    response = content.get("/h5p/nope/files/h5p.json")
    policy = response["Content-Security-Policy"]
    assert "form-action 'none'" in policy and "frame-ancestors http://localhost:8000" in policy
    assert "nonce-" not in policy


def test_frames_the_platform_allows(client, settings):
    policy = directives(client.get("/accounts/login/"))
    assert "http://content.localhost:8000" in policy["frame-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    settings.H5P_CONTENT_ORIGIN = "https://noidung.example.gov.vn"
    assert "https://noidung.example.gov.vn" in directives(client.get("/"))["frame-src"]
