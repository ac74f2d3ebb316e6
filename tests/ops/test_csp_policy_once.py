"""ops.csp builds each Content-Security-Policy once and puts each response's own nonce in
it: every header is exactly what django-csp builds for that response, and a changed
setting shows on the next response."""

from dataclasses import asdict

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from ops.csp import PlatformCSPMiddleware


def _serve(*, use_nonce=False, framing=None, report_only=False, update=None):
    """One response through the middleware, and the header django-csp would build for it."""
    used = {}

    def view(request):
        if use_nonce:
            used["nonce"] = str(request.csp_nonce)
        response = HttpResponse("ok")
        if framing:
            response["X-Frame-Options"] = framing
        if update:
            response._csp_update = update
        return response

    middleware = PlatformCSPMiddleware(view)
    request = RequestFactory().get("/khoa-hoc/")
    response = middleware(request)
    parts = middleware.get_policy_parts(request=request, response=response, report_only=report_only)
    expected = build_policy(**asdict(parts), report_only=report_only)
    return response, expected, used.get("nonce")


def test_each_response_gets_the_policy_with_its_own_nonce():
    first, expected_first, nonce_first = _serve(use_nonce=True)
    second, expected_second, nonce_second = _serve(use_nonce=True)
    assert nonce_first != nonce_second
    assert first[HEADER] == expected_first and f"'nonce-{nonce_first}'" in first[HEADER]
    assert second[HEADER] == expected_second and f"'nonce-{nonce_second}'" in second[HEADER]
    assert nonce_first not in second[HEADER] and "pcmd0csp0nonce0slot" not in second[HEADER]


def test_a_response_without_a_nonce_gets_the_policy_without_one():
    _serve(use_nonce=True)
    response, expected, _ = _serve()
    assert response[HEADER] == expected and "nonce-" not in response[HEADER]


def test_framing_and_a_views_own_update_get_their_own_policy():
    plain, _, _ = _serve()
    framed, expected, _ = _serve(framing="SAMEORIGIN")
    assert "frame-ancestors 'none'" in plain[HEADER]
    assert framed[HEADER] == expected.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    updated, expected, _ = _serve(update={"img-src": ["https://anh.example.gov.vn"]})
    assert updated[HEADER] == expected and "https://anh.example.gov.vn" in updated[HEADER]
    assert "https://anh.example.gov.vn" not in _serve()[0][HEADER]


def test_a_changed_setting_shows_on_the_next_response(settings):
    before, _, _ = _serve()
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": [SELF, "https://cdn.example.vn"]}
    settings.CONTENT_SECURITY_POLICY = policy
    after, expected, _ = _serve()
    assert "https://cdn.example.vn" not in before[HEADER]
    assert after[HEADER] == expected and "https://cdn.example.vn" in after[HEADER]


def test_a_report_only_policy_is_built_and_sent_too(settings):
    assert HEADER_REPORT_ONLY not in _serve()[0]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-bao-cao/"}
    }
    response, expected, _ = _serve(use_nonce=True, report_only=True)
    assert response[HEADER_REPORT_ONLY] == expected
    assert "report-uri /csp-bao-cao/" in expected


@pytest.mark.parametrize("use_nonce", [False, True])
def test_a_nonce_asked_for_after_the_header_was_written_is_refused(use_nonce):
    from csp.exceptions import CSPNonceError

    middleware = PlatformCSPMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")
    if use_nonce:
        middleware.process_request(request)
        str(request.csp_nonce)
    middleware(request)
    if use_nonce:
        assert str(request.csp_nonce)  # the nonce in the header stays readable
    else:
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)
