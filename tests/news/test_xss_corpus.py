"""Stored XSS: a corpus of hostile markup through the sanitizer and onto reader pages.

Server-side checks (no browser): every payload, cleaned, holds nothing executable — no
script-capable element, no event-handler or style attribute, no URL with a scheme outside
http, https, mailto and tel — and cleaning is idempotent. Titles and other plain-text fields
are escaped on the article page. The corpus lives in tests/xss.py; tests/browser/test_xss.py
renders it in Chromium.
"""

import pytest

from news.text import sanitize_html
from tests.factories import make_article
from tests.xss import PAYLOADS, problems


def test_the_corpus_is_large_enough():
    assert len(set(PAYLOADS)) >= 60


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives_the_sanitizer(payload):
    clean = sanitize_html(payload)
    assert problems(clean) == [], clean


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitizer_is_idempotent(payload):
    once = sanitize_html(payload)
    assert sanitize_html(once) == once


def article_page(client, article):
    response = client.get(article.get_absolute_url().replace("/zh-hans/", "/en/"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_payloads_in_every_article_field_render_inert(client, site):
    """The page of an article full of payloads has no more scripts, handlers or URLs than a plain one."""
    short = "</title><script>alert(1)</script><img src=x onerror=alert(1)>"
    fields = ("title_en", "summary_en", "source_en", "cover_caption_en", "author_en")
    hostile = make_article(site, body_en="\n".join(PAYLOADS), **dict.fromkeys(fields, short))
    plain = make_article(site, body_en="<p>Plain</p>", **dict.fromkeys(fields, "Plain"))
    hostile_html, plain_html = article_page(client, hostile), article_page(client, plain)
    assert "alert(1)" in hostile_html  # the payloads are there, as text
    baseline = sorted(problems(plain_html))
    assert sorted(problems(hostile_html)) == baseline
    for chunk in hostile_html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag
