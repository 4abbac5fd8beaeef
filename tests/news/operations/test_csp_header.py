"""``ContentSecurityPolicyMiddleware`` (news/operations/headers.py) writes the headers django-csp's
own middleware writes, for every kind of answer, and builds them once for answers that ask for
nothing of their own."""

from unittest import mock

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.urls import reverse_lazy

from news.operations.headers import ContentSecurityPolicyMiddleware

HEADERS = (HEADER, HEADER_REPORT_ONLY)


def plain(request):
    return HttpResponse("page")


def with_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


def with_header(request):
    response = HttpResponse()
    response[HEADER] = "default-src 'none'"
    return response


def not_found(request):
    return HttpResponseNotFound()


VIEWS = {
    "plain": plain,
    "nonce": with_nonce,
    "own header": with_header,
    "404": not_found,
    "csp_update": csp_update({"img-src": ["https://img.example"]})(plain),
    "csp_update report-only": csp_update({"img-src": ["https://img.example"]}, REPORT_ONLY=True)(plain),
    "csp_replace": csp_replace({"script-src": [SELF, "https://cdn.example"]})(plain),
    "csp": csp({"default-src": ["'none'"]})(plain),
    "csp_exempt": csp_exempt()(plain),
    "csp_exempt report-only": csp_exempt(REPORT_ONLY=True)(plain),
}

POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE], "img-src": [SELF, "data:"]}}
SETTINGS = {
    "the site's policy": {},
    "with a report-only policy": {
        "CONTENT_SECURITY_POLICY_REPORT_ONLY": {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp/"}},
    },
    "an excluded prefix": {"CONTENT_SECURITY_POLICY": {**POLICY, "EXCLUDE_URL_PREFIXES": ["/excluded/"]}},
    "no policy": {"CONTENT_SECURITY_POLICY": None},
    "under DEBUG": {"DEBUG": True},
}


def headers(middleware_class, view, path):
    """The CSP headers of two answers in a row (the second one from what the first built), and
    whether the nonce stays closed to code that runs after the header is written."""
    middleware = middleware_class(view)
    answers = []
    for _ in range(2):
        request = RequestFactory().get(path)
        response = middleware(request)
        try:
            str(request.csp_nonce)
            closed = False
        except CSPNonceError:
            closed = True
        answers.append(({name: response.get(name) for name in HEADERS}, closed, "nonce-" in response.get(HEADER, "")))
    return answers


@pytest.mark.parametrize("configured", SETTINGS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("path", ["/en/", "/excluded/page/"])
def test_the_headers_are_django_csps_for_every_kind_of_answer(settings, configured, view, path):
    for name, value in SETTINGS[configured].items():
        setattr(settings, name, value)
    ours = headers(ContentSecurityPolicyMiddleware, VIEWS[view], path)
    theirs = headers(CSPMiddleware, VIEWS[view], path)
    if view == "nonce" and ours[0][0][HEADER]:
        # A new nonce each answer: equal once the nonce is taken out.
        for answers in (ours, theirs):
            for found, _closed, has_nonce in answers:
                assert has_nonce
                found[HEADER] = found[HEADER].split("'nonce-")[0]
    assert ours == theirs


def test_an_answer_that_asks_for_nothing_takes_the_headers_built_before(settings):
    settings.CONTENT_SECURITY_POLICY = POLICY
    middleware = ContentSecurityPolicyMiddleware(plain)
    first = middleware(RequestFactory().get("/en/"))[HEADER]
    built_again = AssertionError("built again")
    with (
        mock.patch("news.operations.headers.build_policy", side_effect=built_again),
        mock.patch("csp.middleware.build_policy", side_effect=built_again),
    ):
        assert middleware(RequestFactory().get("/en/news/"))[HEADER] == first
    assert set(first.split("; ")) == {"default-src 'self'", "img-src 'self' data:", "script-src 'self'"}


def test_a_change_of_the_setting_builds_them_again(settings):
    settings.CONTENT_SECURITY_POLICY = POLICY
    middleware = ContentSecurityPolicyMiddleware(plain)
    assert "data:" in middleware(RequestFactory().get("/en/"))[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(RequestFactory().get("/en/"))[HEADER] == "default-src 'none'"


def test_a_policy_with_directives_none_is_no_policy_as_for_django_csp(settings):
    """django-csp writes no header for ``"DIRECTIVES": None``; ours raised AttributeError (review s12)."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": None}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": None, "EXCLUDE_URL_PREFIXES": ["/x/"]}
    assert headers(ContentSecurityPolicyMiddleware, plain, "/en/") == headers(CSPMiddleware, plain, "/en/")
    assert HEADER not in ContentSecurityPolicyMiddleware(plain)(RequestFactory().get("/en/"))


def test_a_lazy_value_is_worked_out_for_each_answer(settings):
    """A ``reverse_lazy`` report-uri follows the script prefix of each request: never kept."""
    from django.urls import set_script_prefix

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**POLICY["DIRECTIVES"], "report-uri": reverse_lazy("robots-txt")}
    }
    middleware = ContentSecurityPolicyMiddleware(plain)
    try:
        for prefix in ("/", "/portal/"):
            set_script_prefix(prefix)
            ours = middleware(RequestFactory().get("/en/"))[HEADER]
            assert ours == CSPMiddleware(plain)(RequestFactory().get("/en/"))[HEADER]
            assert f"report-uri {prefix}" in ours
    finally:
        set_script_prefix("/")


def test_the_site_uses_it(client, site):
    from django.conf import settings

    assert "news.operations.headers.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE
    response = client.get("/robots.txt")
    assert response[HEADER] == CSPMiddleware(plain)(RequestFactory().get("/robots.txt"))[HEADER]
