import os

import pytest
from django.core.cache import caches
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from news import addresses, context_processors, seo, visits
from news.models import Page, SiteSettings
from news.pagecache import live
from tests.factories import make_column, make_staff
from tests.servers import clear_cache, free_port

# Property tests and fuzzing (tests/news/test_properties.py). "ci", the default, is
# deterministic (the same examples every run, no example database) and quick enough for
# every run; HYPOTHESIS_PROFILE=fuzz explores at random, HYPOTHESIS_MAX_EXAMPLES examples
# per test (20000 by default), and prints how to reproduce any failure it finds.
_hypothesis_common = {
    "deadline": None,
    # The search property uses the database fixture; each example only reads.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=200, **_hypothesis_common)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", 20000)),
    database=None,
    print_blob=True,
    **_hypothesis_common,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _isolated_state(settings, tmp_path):
    """Each test starts with an empty cache, no pending visits, its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clear_cache()
    # Every module that keeps state in the process has a reset() (news/visits.py, …).
    for module in (visits, live, context_processors, addresses, seo):
        module.reset()
    caches["template_fragments"].clear()
    caches["article_parts"].clear()
    yield
    clear_cache()
    visits.reset()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def column(db):
    return make_column("investment-dynamics", name_zh_hans="投资动态", name_en="Investment Dynamics")


@pytest.fixture
def site_settings(db):
    return SiteSettings.objects.create(
        site_name_zh_hans="吉林省投资促进网",
        site_name_en="Jilin Provincial Investment Promotion Website",
        icp_record="吉ICP备10003975号",
        icp_url="https://beian.miit.gov.cn/",
    )


@pytest.fixture
def pages(db):
    return [
        Page.objects.create(
            slug=slug,
            order=order,
            title_zh_hans=zh,
            title_en=en,
            body_zh_hans=f"<p>{zh}正文</p>",
            body_en=f"<p>{en} text</p>",
        )
        for order, (slug, zh, en) in enumerate(
            [
                ("about", "关于我们", "About Us"),
                ("contact", "联系我们", "Contact Us"),
                ("privacy", "隐私声明", "Privacy Statement"),
            ]
        )
    ]


@pytest.fixture
def site(site_settings, pages, column):
    """The site chrome a reader page needs: settings, the footer pages, one column."""
    return column


@pytest.fixture
def editor_client(client, db):
    client.user = make_staff("Editor", "editor")
    client.force_login(client.user)
    return client


@pytest.fixture
def senior_client(db):
    from django.test import Client

    client = Client()
    client.user = make_staff("Senior editor", "senior")
    client.force_login(client.user)
    return client


# --- A local S3 server (moto) for the media tests (helpers in tests/servers.py) -----


@pytest.fixture(scope="session")
def s3_endpoint():
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is a development requirement")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()
