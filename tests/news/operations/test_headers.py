"""Security headers on reader pages (fresh and from the page cache), static files and the admin.

The page cache answers before most middleware runs: the headers must still be there on a hit,
and a CSP nonce must never be stored with a cached page.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[3]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def assert_secure_headers(response):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["style-src"] == ["'self'"] or response.wsgi_request.path.startswith("/admin/")
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    return csp


@pytest.fixture
def https(settings):
    """The headers a deployment over HTTPS sends (the test settings speak plain HTTP)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True


def reader_pages(column):
    article = make_article(column=column)
    return ["/en/", "/zh-hans/", f"/en/column/{column.slug}/", article.get_absolute_url(), "/en/search/?q=English"]


class TestReaderPages:
    def test_fresh_and_cached_pages_carry_the_same_headers(self, client, site, https):
        for path in reader_pages(site):
            fresh = client.get(path, secure=True)
            cached = client.get(path, secure=True)
            assert fresh.status_code == cached.status_code == 200, path
            assert fresh["X-Page-Cache"] == "miss" and cached["X-Page-Cache"] == "hit", path
            for response in (fresh, cached):
                csp = assert_secure_headers(response)
                # Public pages use no nonce: nothing per-request is stored in the page cache.
                assert not any(source.startswith("'nonce-") for source in csp["script-src"]), path
                assert "nonce=" not in response.content.decode()
                assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
            assert fresh["Content-Security-Policy"] == cached["Content-Security-Policy"]

    def test_no_inline_script_on_public_pages(self, client, site):
        for path in reader_pages(site):
            html = client.get(path).content.decode()
            # Only external scripts and JSON-LD data blocks.
            for chunk in html.split("<script")[1:]:
                tag = chunk.split(">", 1)[0]
                assert "src=" in tag or 'type="application/ld+json"' in tag, (path, tag)
            assert "<style" not in html and " style=" not in html, path

    def test_static_files_carry_the_headers(self, client, site):
        response = client.get("/static/css/site.css")
        assert response.status_code == 200
        assert_secure_headers(response)

    def test_no_hsts_over_plain_http(self, client, site):
        assert "Strict-Transport-Security" not in client.get("/en/")


class TestAdmin:
    def test_login_page(self, client, https):
        response = client.get(reverse("admin:login"), secure=True)
        assert response.status_code == 200
        assert_secure_headers(response)
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")

    def test_editor_import_map_carries_the_nonce_of_the_header(self, editor_client, site):
        response = editor_client.get(reverse("admin:news_article_add"))
        assert response.status_code == 200
        nonces = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
        assert len(nonces) == 1
        nonce = nonces[0][len("'nonce-") : -1]
        assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
        # Tiptap's constant <style> element is allowed by its hash, in the admin only.
        assert "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='" in directives(response)["style-src"]
        # Another request gets another nonce.
        again = editor_client.get(reverse("admin:news_article_add"))
        assert nonces != [s for s in directives(again)["script-src"] if s.startswith("'nonce-")]


def test_check_deploy_passes_with_production_settings(tmp_path):
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "true",
        "DJANGO_ALLOWED_HOSTS": "invest.example.gov.cn",
        "DJANGO_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_favicon_ico_leads_to_the_icon(client, db):
    # The admin names no icon; the browser's request for /favicon.ico must not end in a 404.
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


PRODUCTION_PROBE = """
import django
import portal.settings
# Static files without collectstatic's manifest: this probe is about headers and cookies.
portal.settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/en/")
print("redirect", plain.status_code, plain["Location"])
login = client.get("/admin/login/", secure=True)
print("hsts", login["Strict-Transport-Security"])
print("csp", login["Content-Security-Policy"])
language = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, secure=True)
for name, morsel in {**login.cookies, **language.cookies}.items():
    print("cookie", name, bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"])
"""


def test_production_settings_send_secure_cookies_hsts_and_redirect_to_https(tmp_path):
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "true",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "redirect 301 https://testserver/en/" in lines
    assert "hsts max-age=31536000; includeSubDomains; preload" in lines
    assert any(line.startswith("csp ") and "upgrade-insecure-requests" in line for line in lines)
    cookies = {line.split()[1]: line.split()[2:] for line in lines if line.startswith("cookie ")}
    assert set(cookies) == {"csrftoken", "django_language"}
    assert cookies["csrftoken"] == ["True", "False", "Lax"]
    assert cookies["django_language"] == ["True", "False", "Lax"]


class TestPublishedPicturesLoadCrossOrigin:
    """Feed readers and link previews on other sites load the pictures feeds and Open Graph name."""

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_the_cover_in_the_feed_and_og_image(self, client, site, language, settings):
        from django.core.files.base import ContentFile

        from news.models import Attachment
        from tests.factories import image_file

        settings.PORTAL_SERVE_MEDIA = True
        article = make_article(site, cover_image=image_file(), cover_alt_zh_hans="封面", cover_alt_en="Cover")
        attachment = Attachment(article=article, order=0, size=15)
        attachment.file.save("policy.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
        attachment.save()
        feed = client.get(f"/{language}/feed/").content.decode()
        enclosure = re.search(r'<enclosure [^>]*url="http://testserver(/media/[^"]+)"', feed).group(1)
        page = client.get(article.get_absolute_url(language)).content.decode()
        og_image = re.search(r'<meta property="og:image" content="http://testserver(/media/[^"]+)"', page).group(1)
        for url in {enclosure, og_image}:
            picture = client.get(url)
            assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
            assert picture["Cross-Origin-Resource-Policy"] == "cross-origin"
            assert picture["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert picture["X-Content-Type-Options"] == "nosniff"
        document = client.get(f"/media/{attachment.file.name}")
        assert document["Cross-Origin-Resource-Policy"] == "same-origin"
        download = client.get(attachment.get_absolute_url())
        assert download.status_code == 200 and download["Cross-Origin-Resource-Policy"] == "same-origin"

    def test_the_share_image_and_nothing_else_static(self, client, site):
        page = client.get("/en/").content.decode()
        share = re.search(r'<meta property="og:image" content="http://testserver(/static/[^"]+)"', page).group(1)
        response = client.get(share)
        assert response.status_code == 200 and response["Cross-Origin-Resource-Policy"] == "cross-origin"
        for other in ("/static/css/site.css", "/static/img/favicon.svg"):
            assert client.get(other)["Cross-Origin-Resource-Policy"] == "same-origin"

    @pytest.mark.parametrize(
        ("url", "published"),
        [
            ("/static/img/share.png", True),
            ("/static/img/share.0123456789ab.png", True),
            ("/static/img/share.png.gz", False),
            ("/static/img/shared-logo.png", False),
            ("/static/img/favicon.svg", False),
        ],
    )
    def test_static_headers(self, url, published):
        from news.operations.headers import static_headers

        headers = {}
        static_headers(headers, "/srv" + url, url)
        assert (headers.get("Cross-Origin-Resource-Policy") == "cross-origin") is published
