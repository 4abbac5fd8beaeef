"""The reader controls and print address in the HTML, and no inline script anywhere (a strict CSP is coming).

tests/browser/ proves they work in Chromium; these checks hold without a browser too.
"""

import re

import pytest

from tests.factories import make_article

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def article(site):
    return make_article(column=site)


def test_article_has_the_text_size_and_print_controls_and_its_address_for_print(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="reader-tools"' in html
    for size, label in (("large", "大"), ("medium", "中"), ("small", "小")):
        assert re.search(rf'data-text-size="{size}" aria-pressed="\w+">{label}</button>', html)
    assert "data-print>打印</button>" in html
    assert f"网址： http://testserver{article.get_absolute_url()}</p>" in html


def test_static_page_has_the_controls_too(client, site, pages):
    html = client.get("/en/page/about/").content.decode()
    assert 'data-text-size="large" aria-pressed="false">Large</button>' in html
    assert 'class="print-only print-address"' in html


@pytest.mark.parametrize("path", ["/zh-hans/", "/en/column/investment-dynamics/", "article", "/en/search/?q=x"])
def test_only_external_scripts_and_data_no_inline_handlers(client, article, path):
    html = client.get(article.get_absolute_url() if path == "article" else path).content.decode()
    assert INLINE_HANDLER.search(html) is None
    for attributes in SCRIPT_TAG.findall(html):
        assert "src=" in attributes or 'type="application/ld+json"' in attributes, attributes
    assert re.search(r'<script src="/static/js/reader-tools\.js"></script>\s*<link rel="stylesheet"', html)
    # Nothing is fetched from another host.
    assert re.search(r'(src|href)="(https?:)?//(?!testserver)[^"]+\.(js|css)"', html) is None
