"""The site's frame (templates/base.html: menu, footer, asset tags) is rendered once per
process, language and yes/no menu answers ({% sitecache %}); whatever differs per request,
a person's name, the CSRF token, this page's address, a CSP nonce, is rendered afresh on
every request ({% uncached %}) and never reaches another person or another language."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from content import rendercache
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
CERTIFICATES = "/certificates/"


@pytest.fixture(autouse=True)
def _empty_memory():
    rendercache.code_forget()
    yield
    rendercache.code_forget()


def _get(client, url=DASHBOARD, language=None) -> str:
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def _form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _header(html)).group(1)


def _next(html: str) -> str:
    return re.search(r'name="next" type="hidden" value="([^"]*)"', _header(html)).group(1)


def test_each_language_gets_its_own_menu_and_footer(client, home_page, trainee):
    client.force_login(trainee)
    vi = _get(client, language="vi")
    en = _get(client, language="en")
    vi_again = _get(client, language="vi")
    for text in ("My learning", "Sign out", "Verify a certificate"):
        with translation.override("vi"):
            vietnamese = translation.gettext(text)
        assert vietnamese != text
        assert vietnamese in vi and vietnamese in vi_again
        assert vietnamese not in en
        assert text in en and text not in vi
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert re.search(r'<option value="vi" lang="vi" selected', vi)
    assert re.search(r'<option value="en" lang="en" selected', en)


def test_one_persons_name_never_reaches_another(client, home_page, trainee):
    other = UserFactory(full_name="Lê Văn Cường", email="cuong@pcmd.example")
    client.force_login(trainee)
    first = _get(client)
    client.force_login(other)
    second = _get(client)
    assert trainee.full_name in _header(first) and other.full_name not in first
    assert other.full_name in _header(second) and trainee.full_name not in second


def test_the_language_form_carries_this_requests_token_and_address(client, home_page, trainee):
    client.force_login(trainee)
    dashboard = _get(client)
    certificates = _get(client, CERTIFICATES)
    assert _next(dashboard) == DASHBOARD
    assert _next(certificates) == CERTIFICATES
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    # A masked token differs on every page and unmasks to this browser's own secret.
    assert _form_token(dashboard) != _form_token(certificates)
    assert _unmask_cipher_token(_form_token(dashboard)) == secret
    assert _unmask_cipher_token(_form_token(certificates)) == secret


def test_another_browser_gets_its_own_csrf_token(client, home_page, trainee):
    from django.test import Client

    other = Client()
    other.force_login(trainee)
    client.force_login(trainee)
    mine = _get(client)
    theirs = _get(other)
    assert _unmask_cipher_token(_form_token(mine)) == client.cookies["csrftoken"].value
    assert _unmask_cipher_token(_form_token(theirs)) == other.cookies["csrftoken"].value
    assert client.cookies["csrftoken"].value != other.cookies["csrftoken"].value


def test_a_new_permission_shows_its_menu_links_on_the_next_request(client, home_page, trainee):
    colleague = UserFactory(email="colleague@pcmd.example")
    client.force_login(trainee)
    assert "/hr/" not in _header(_get(client))
    trainee.user_permissions.add(Permission.objects.get(codename="access_hr_area"))
    assert 'href="/hr/"' in _header(_get(client))
    client.force_login(colleague)
    assert "/hr/" not in _header(_get(client))


def test_signing_out_shows_the_sign_in_links_at_once(client, home_page, trainee):
    client.force_login(trainee)
    assert "/accounts/logout/" in _header(_get(client, "/"))
    client.logout()
    signed_out = _header(_get(client, "/"))
    assert "/accounts/logout/" not in signed_out and trainee.full_name not in signed_out
    assert "/accounts/login/" in signed_out


def test_a_csp_nonce_is_never_cached():
    template = engines["django"].from_string(
        "{% load rendercache_tags %}{% sitecache 'nonce-test' %}<p>same</p>"
        '<script nonce="{% uncached %}{{ request.csp_nonce }}{% enduncached %}"></script>'
        "{% endsitecache %}"
    )
    rendered = []
    for nonce in ("first-nonce", "second-nonce"):
        request = RequestFactory().get("/")
        request.csp_nonce = nonce
        rendered.append(template.render({}, request))
    assert rendered[0] == '<p>same</p><script nonce="first-nonce"></script>'
    assert rendered[1] == '<p>same</p><script nonce="second-nonce"></script>'


def test_a_pages_own_nonce_scripts_are_rendered_per_request():
    from django.contrib.auth.models import AnonymousUser

    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block extra_head %}<style nonce="{{ request.csp_nonce }}">'
        '</style>{% endblock %}{% block extra_body %}<script nonce="{{ request.csp_nonce }}">'
        "</script>{% endblock %}"
    )
    for nonce in ("first-nonce", "second-nonce", "third-nonce"):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        request.csp_nonce = nonce
        html = page.render({}, request)
        assert re.findall(r'nonce="([^"]+)"', html) == [nonce, nonce]


def test_a_setting_change_renders_the_frame_afresh(client, home_page, trainee, settings):
    client.force_login(trainee)
    assert "/static/css/platform" in _get(client)
    settings.STATIC_URL = "/assets-elsewhere/"
    assert "/assets-elsewhere/css/platform" in _get(client)
