"""Every private or undocumented name of Django and its libraries that the project relies on, in one
place: after an upgrade, a failure here names what changed before any page breaks.

docs/upgrading.md lists the same names, where each is used and what to re-check. Each test uses
the name the way the project does and checks what the project counts on, not only that it exists.
"""

import inspect
import logging

import pytest
from django.db import connection, connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from news.i18n import localized
from news.models import Article, Attachment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


# --- 1–4: news/db/prepared.py's compiled form (not with PORTAL_PREPARED_QUERIES=false); 9 ---------


def test_the_iterable_classes_and_the_populators_are_where_prepared_queries_import_them():
    from django.db.models import query

    assert {"ModelIterable", "ValuesListIterable", "get_related_populators"} <= set(vars(query))
    assert list(inspect.signature(query.get_related_populators).parameters) == ["klass_info", "select", "db"]
    assert Article.objects.all()._iterable_class is query.ModelIterable
    assert Article.objects.rewrite(False).values_list("pk")._iterable_class is query.ValuesListIterable


def test_a_queryset_keeps_the_attributes_prepared_queries_check():
    queryset = Article.objects.select_related("column")
    assert queryset._prefetch_related_lookups == ()
    assert queryset._known_related_objects == {}
    assert Article.objects.prefetch_related("tags")._prefetch_related_lookups == ("tags",)


def test_the_compiler_fills_what_prepared_queries_read():
    queryset = Article.objects.select_related("column").filter(pk=1)
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    assert "SELECT" in sql and 1 in params
    assert compiler.klass_info["model"] is Article
    fields = compiler.klass_info["select_fields"]
    assert all(isinstance(position, int) for position in fields)
    assert compiler.select[fields[0]][0].target.attname == "id"
    assert isinstance(compiler.col_count, int) and compiler.col_count >= len(fields)
    assert compiler.has_extra_select is False
    assert compiler.annotation_col_map == {}
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    assert isinstance(converters, dict)
    assert list(compiler.apply_converters([], converters)) == []


def test_a_connection_wrapper_is_one_object_per_thread_so_state_kept_on_it_stays_there():
    first, second = connections["default"], connections["default"]
    assert first is second
    first.__dict__.setdefault("_probe", object())
    assert connections["default"].__dict__["_probe"] is first.__dict__.pop("_probe")


def test_modeltranslation_can_leave_field_names_unrewritten():
    """news/models/articles.py ``links()``: raw per-language columns for values_list() rows."""
    article = make_article(title_en="Raw")
    rows = Article.objects.rewrite(False).values_list("pk", localized("title", "en"))
    assert (article.pk, "Raw") in list(rows)


# --- 5–8: news/pagecache/wsgi.py (the handler bypass) ----------------------------------------


def test_the_wsgi_handler_helpers_the_fast_path_uses_read_the_path_as_django_does(settings):
    from django.core.handlers.wsgi import get_path_info, get_script_name

    settings.FORCE_SCRIPT_NAME = None  # the portal sets it (""); the helper must still read the environ

    environ = RequestFactory().get("/en/").environ
    environ["SCRIPT_NAME"] = "/portal"
    assert get_path_info(environ) == "/en/"
    assert get_script_name(environ) == "/portal"


def test_a_request_built_without_its_init_answers_what_the_fast_path_asks():
    from news.pagecache.wsgi import EnvironRequest

    environ = RequestFactory().get("/en/", HTTP_IF_NONE_MATCH='"x"', HTTP_COOKIE="a=b").environ
    request = EnvironRequest(environ)
    assert "_get_scheme" in vars(HttpRequest)
    assert request.scheme == "http"
    assert request.get_host() == "testserver"
    assert request.COOKIES == {"a": "b"}
    assert request.path == "/en/"


def test_conditional_answers_and_cache_control_parsing_are_where_the_page_cache_imports_them():
    from django.utils.cache import cc_delim_re, get_conditional_response

    request = RequestFactory().get("/", HTTP_IF_NONE_MATCH='W/"a"').environ
    from news.pagecache.wsgi import EnvironRequest

    answer = get_conditional_response(EnvironRequest(request), 'W/"a"', None)
    assert answer is not None and answer.status_code == 304
    assert cc_delim_re.split("max-age=0, private") == ["max-age=0", "private"]


# --- 10: news/operations/faults.py ------------------------------------------------------------


def test_a_response_marked_as_logged_is_not_logged_again(caplog):
    from django.utils.log import log_response

    response = HttpResponse(status=503)
    response._has_been_logged = True
    with caplog.at_level(logging.ERROR, logger="django.request"):
        log_response("Service unavailable", response=response, request=RequestFactory().get("/"))
    assert not caplog.records


# --- 11–12: news/admin/csp.py ----------------------------------------------------------------


def test_django_csp_reads_the_update_a_response_carries():
    from csp.middleware import CSPMiddleware

    def view(request):
        response = HttpResponse()
        response._csp_update = {"style-src": ["'sha256-probe'"]}
        return response

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    assert "'sha256-probe'" in response["Content-Security-Policy"]


def test_js_asset_media_keeps_its_import_map_where_the_admin_gives_it_a_nonce():
    from js_asset import Media

    media = Media(importmap={"imports": {"x": "/static/x.js"}})
    assert media._importmap is not None
    assert Media.from_media(media, nonce="n")._importmap == media._importmap


# --- 13–14 ------------------------------------------------------------------------------------


def test_axes_tells_the_lockout_page_how_long_the_lock_lasts():
    from axes import helpers

    assert helpers.get_cool_off(RequestFactory().get("/")).total_seconds() > 0


def test_models_take_fields_added_after_the_class_is_built():
    """news/models/articles.py adds ``available_<code>`` for every configured language."""
    assert callable(Article.add_to_class)
    assert {"available_zh_hans", "available_en"} <= {field.name for field in Article._meta.fields}
    assert Attachment._meta.get_field("article").related_model is Article


# --- 15 ---------------------------------------------------------------------------------------


def test_diskcache_keeps_its_fanout_cache_where_the_embedded_cache_reads_its_volume(tmp_path):
    """news/operations/sharedcache.py DiskCache.volume() reads ``DjangoCache._cache.volume()``;
    the rest of DiskCache uses only the methods Django's cache API names."""
    from diskcache import DjangoCache, FanoutCache

    store = DjangoCache(str(tmp_path), {"SHARDS": 2})
    assert isinstance(store._cache, FanoutCache) and store._cache.volume() > 0
    # The keyword the backend passes on every call, so that no call waits for a lock unbounded.
    assert store.set("k", "v", 60, None, retry=False) is True and store.incr("n", 1, None, 0, retry=False) == 1


# --- 16: news/operations/links.py: which links leave the portal ---


def test_host_validation_matches_allowed_hosts_as_the_link_checker_needs():
    """``django.http.request.validate_host`` (undocumented; what ``HttpRequest.get_host`` uses) tells the
    link checker which links stay on the portal: exact names and ``.domain`` patterns."""
    from django.http.request import validate_host

    assert validate_host("invest.jl.gov.cn", ["invest.jl.gov.cn"])
    assert validate_host("en.invest.jl.gov.cn", [".invest.jl.gov.cn"])
    assert not validate_host("www.gov.cn", ["invest.jl.gov.cn", ".invest.jl.gov.cn"])


# --- 18: news/operations/headers.py ContentSecurityPolicyMiddleware ----------------------------


def test_django_csp_marks_an_exempt_answer_and_closes_the_nonce_as_the_kept_policy_expects():
    from csp.decorators import csp_exempt
    from csp.exceptions import CSPNonceError
    from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts

    response = csp_exempt()(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert response._csp_exempt is True
    response = csp_exempt(REPORT_ONLY=True)(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert response._csp_exempt_ro is True
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse())
    assert middleware.get_policy_parts(request, HttpResponse()) == PolicyParts()  # nothing asked for
    request.csp_nonce = CheckableLazyObject(middleware._csp_nonce_post_response)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
