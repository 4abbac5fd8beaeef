"""Two gunicorn instances sharing PostgreSQL, Redis and S3, as behind a load balancer.

What one instance publishes (through the admin, over HTTP) the other serves at once, even when
it had the page in its cache; an image uploaded through one is served to readers of the other.
The instances share nothing else: each has its own data folder, process and workers.
"""

import io
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests.factories import image_file, make_article
from tests.servers import free_port, new_bucket, s3_environment

requests = pytest.importorskip("requests", reason="requests comes with moto[server], a development requirement")

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"),
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: the instances share them (.ci/run sets both)",
    ),
    pytest.mark.django_db(transaction=True),  # the instances must see what the test writes
]

PASSWORD = "instances-test-password"


class FormValues(HTMLParser):
    """The values a browser would submit with the form of id ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(html, form_id):
    parser = FormValues(form_id)
    parser.feed(html)
    return parser.values


class Instance:
    def __init__(self, port, environment, log):
        self.port, self.base = port, f"http://127.0.0.1:{port}"
        self.log = log
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait(self):
        deadline = time.monotonic() + 90  # a loaded CI machine starts gunicorn slowly
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/zh-hans/", timeout=30).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or slow to answer the first request
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"instance on {self.port} did not start:\n{self.log.read_text()[-3000:]}")

    def get(self, path, **kwargs):
        return requests.get(self.base + path, timeout=30, **kwargs)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)

    def admin_session(self, username):
        session = requests.Session()
        login = self.base + f"/{settings.PORTAL_ADMIN_URL}login/"
        page = session.get(login, timeout=30)
        values = form_values(page.text, "login-form")
        values.update(username=username, password=PASSWORD)
        response = session.post(login, data=values, headers={"Referer": login}, timeout=30)
        assert response.status_code == 200 and "logout" in response.text.lower(), response.text[:500]
        return session

    def submit_article(self, session, path, changes, files=None):
        address = self.base + f"/{settings.PORTAL_ADMIN_URL}news/article/{path}"
        values = form_values(session.get(address, timeout=30).text, "article_form")
        values.update(changes)
        values["_save"] = "Save"
        response = session.post(address, data=values, files=files, headers={"Referer": address}, timeout=30)
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
        assert response.status_code == 200 and not errors, errors or response.status_code


@pytest.fixture
def instances(tmp_path, site, s3_endpoint):
    """Two instances on the test database, the tests' Redis and one S3 bucket."""
    database = connection.settings_dict
    bucket = new_bucket(s3_endpoint)
    prefix = f"portal-instances-{os.getpid()}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MEDIA_S3_", "PORTAL_"))}
    base.update(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        DJANGO_SECRET_KEY="instances-test-not-a-secret",  # shared, so a session works on both
        DJANGO_HTTPS="false",
        DJANGO_CACHE_PREFIX=prefix,
        **s3_environment(s3_endpoint, bucket),
    )
    base["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_DATA_DIR": str(tmp_path)},
        check=True,
    )
    running = []
    for number, port in enumerate((free_port(), free_port())):
        data = tmp_path / f"instance-{number}"
        data.mkdir()
        running.append(Instance(port, {**base, "DJANGO_DATA_DIR": str(data)}, tmp_path / f"gunicorn-{port}.log"))
    try:
        for instance in running:
            instance.wait()
        yield running
    finally:
        for instance in running:
            instance.stop()
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_what_one_instance_publishes_the_other_serves_fresh(instances, s3_endpoint):
    first, second = instances
    # Hashed as the instances' settings expect (the test settings use a faster hasher).
    editor = get_user_model().objects.create_superuser("editor", "")
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, "instances-salt")
    editor.save()
    make_article(title_en="Older news", column=first_column())
    for instance in instances:  # both have the home page in the cache
        instance.get("/en/")
        assert instance.get("/en/").headers["X-Page-Cache"] == "hit"

    upload = image_file("harbour.jpg", size=(160, 90))
    picture = upload.read()
    session = first.admin_session("editor")
    publish_at = timezone.localtime(timezone.now() - timedelta(minutes=1))
    first.submit_article(
        session,
        "add/",
        {
            "column": str(first_column().pk),
            "status": "published",
            "publish_at_0": publish_at.strftime("%Y-%m-%d"),
            "publish_at_1": publish_at.strftime("%H:%M:%S"),
            "title_zh_hans": "两个实例的新闻",
            "body_zh_hans": "<p>正文</p>",
            "title_en": "News from the first instance",
            "body_en": "<p>Body</p>",
            "featured": "on",
            "cover_alt_en": "A harbour",
            "cover_alt_zh_hans": "港口",
        },
        files={"cover_image": ("harbour.jpg", picture, "image/jpeg")},
    )

    home = second.get("/en/")
    assert home.headers["X-Page-Cache"] == "miss"  # its cached copy was out of date
    assert "News from the first instance" in home.text
    # The cover, re-encoded under a generated name, is served from the bucket, not a disk.
    image_url = re.search(r'<img src="([^"]+)" [^>]*alt="A harbour"', home.text).group(1)
    assert image_url.startswith(s3_endpoint + "/")
    image = requests.get(image_url, timeout=30)
    assert image.status_code == 200
    assert Image.open(io.BytesIO(image.content)).size == Image.open(io.BytesIO(picture)).size
    article_url = re.search(
        r'href="(/en/news/\d+/[^"]*)"[^>]*>(?:(?!</a>).)*?<span class="featured-title">', home.text, re.S
    )
    assert second.get(article_url.group(1)).status_code == 200

    # And back: an edit through the second instance, seen by the first.
    assert first.get("/en/").headers["X-Page-Cache"] in ("hit", "miss")
    pk = article_url.group(1).split("/")[3]
    second.submit_article(second.admin_session("editor"), f"{pk}/change/", {"title_en": "Edited on the second"})
    page = first.get("/en/")
    assert "Edited on the second" in page.text and "News from the first instance" not in page.text


def first_column():
    from news.models import Column

    return Column.objects.get(slug="investment-dynamics")
