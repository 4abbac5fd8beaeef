import io
import itertools
import os
import socket
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from PIL import Image

from news import context_processors, visits
from news.models import Article, Column, Page, SiteSettings
from news.pagecache import live

_sequence = itertools.count(1)

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


def clear_cache():
    # With Redis, delete only this run's keys (KEY_PREFIX) instead of flushing the database.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _isolated_state(settings, tmp_path):
    """Each test starts with an empty cache, no pending visits, its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clear_cache()
    visits.reset()
    live.reset()
    context_processors.reset()
    caches["template_fragments"].clear()
    yield
    clear_cache()
    visits.reset()
    translation.activate(settings.LANGUAGE_CODE)


def image_file(name="cover.jpg", size=(64, 36), image_format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 74, 139)).save(buffer, image_format)
    return ContentFile(buffer.getvalue(), name=name)


def make_column(slug=None, **fields):
    number = next(_sequence)
    slug = slug or f"column-{number}"
    defaults = {"name_zh_hans": f"栏目{number}", "name_en": f"Column {number}", "order": number}
    return Column.objects.create(slug=slug, **{**defaults, **fields})


def make_article(column=None, languages=("zh-hans", "en"), **fields):
    """A published article, due an hour ago, written in ``languages``."""
    number = next(_sequence)
    values = {
        "column": column or make_column(),
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    if "zh-hans" in languages:
        values.update(title_zh_hans=f"中文标题{number}", body_zh_hans=f"<p>中文正文{number}</p>")
    if "en" in languages:
        values.update(title_en=f"English title {number}", body_en=f"<p>English body {number}</p>")
    values.update(fields)
    return Article.objects.create(**values)


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


def make_staff(group, username=None):
    """A staff user in one of the groups the workflow migration creates."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username or f"{group.lower().replace(' ', '-')}-{next(_sequence)}", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


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


def admin_form_data(article=None, **overrides):
    """The fields the article change form posts, filled from ``article`` (or a fresh draft)."""
    from django.utils import timezone as tz

    def value(name, default=""):
        return getattr(article, name) if article is not None else default

    publish_at = tz.localtime(article.publish_at if article else tz.now())
    data = {
        "column": article.column_id if article else "",
        "status": value("status", Article.Status.DRAFT),
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "based_on": value("lock_version", 0),
        "author": value("author"),
        "slug": value("slug"),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    for field in ("title", "summary", "body", "source", "cover_caption", "cover_alt", "cover_credit"):
        for code in ("zh_hans", "en"):
            data[f"{field}_{code}"] = value(f"{field}_{code}") or ""
    data.update(overrides)
    return data


# --- A local S3 server (moto) for the media tests -----------------------------------


def free_port():
    """A port nobody listens on now, so that test runs side by side do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is a development requirement")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_environment(endpoint, bucket):
    """The environment variables that put media in ``bucket`` on the local S3 server."""
    return {
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "testing",
        "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        # The bucket is private by default; media must be readable by anyone.
        "MEDIA_S3_ACL": "public-read",
    }


def s3_client(endpoint):
    """A boto3 client for the local S3 server (moto accepts any credentials)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def new_bucket(endpoint):
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket
