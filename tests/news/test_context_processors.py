"""news/context_processors.py: the language switcher keeps the reader's search and filters."""

import html
import re

import pytest
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def switcher(page):
    start = page.index('class="language-switcher"')
    nav = page[start : page.index("</nav>", start)]
    return {lang: html.unescape(href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav)}


@pytest.mark.parametrize(("language", "tag", "other"), [("zh-hans", "en", "en"), ("en", "zh-Hans", "zh-hans")])
class TestTheSwitcherKeepsTheSearch:
    def test_query_and_filters_are_kept_the_page_number_dropped(self, client, site, language, tag, other):
        for _number in range(21):
            make_article(site, title_zh_hans="吉林签约", title_en="Jilin signs")
        query = "吉林" if language == "zh-hans" else "Jilin"
        year = timezone.localdate().year
        response = client.get(f"/{language}/search/?q={query}&column={site.slug}&year={year}&page=2")
        assert response.status_code == 200 and response.context["page_obj"].number == 2
        page = response.content.decode()
        carried = "%E5%90%89%E6%9E%97" if language == "zh-hans" else "Jilin"
        assert switcher(page)[tag] == f"/{other}/search/?q={carried}&column={site.slug}&year={year}"

    def test_a_query_with_characters_to_escape(self, client, site, language, tag, other):
        page = client.get(f"/{language}/search/", {"q": 'R&D "5G" <x>'}).content.decode()
        assert switcher(page)[tag] == f"/{other}/search/?q=R%26D+%225G%22+%3Cx%3E"
        assert "<x>" not in page

    def test_a_column_page_number_is_dropped(self, client, site, language, tag, other):
        for _number in range(21):
            make_article(site)
        page = client.get(f"/{language}/column/{site.slug}/?page=2").content.decode()
        # Page 2 here is no page 2 there: no hreflang alternates, the switcher goes to page 1.
        assert '<link rel="alternate" hreflang' not in page
        assert switcher(page)[tag] == f"/{other}/column/{site.slug}/"


# The loops {% hreflang_links %} and {% language_switcher %} replaced (base.html and
# includes/header.html before 2026-12), verbatim.
HREFLANG_LOOP = """{% for link in language_links %}{% if link.alternate %}
    <link rel="alternate" hreflang="{{ link.tag }}" href="{{ link.absolute_url }}">
    {% endif %}{% endfor %}"""
SWITCHER_LOOP = """{% for link in language_links %}
          <li>
            {% if link.is_current %}
              <span aria-current="true" lang="{{ link.tag }}">{{ link.name_local }}</span>
            {% elif link.url %}
              <a href="{{ link.url }}" hreflang="{{ link.tag }}" lang="{{ link.tag }}">{{ link.name_local }}</a>
            {% endif %}
          </li>
        {% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_switcher_and_alternates_are_what_the_template_loops_wrote(rf, language):
    """Every kind of entry: the current language, an alternate, a fallback that is no alternate (an
    article's column), none at all, and addresses with characters to escape."""
    from django.template import Context, Template
    from django.utils import translation
    from django.utils.functional import SimpleLazyObject

    from news.context_processors import language_links

    request = rf.get(f"/{language}/search/", {"q": '<"吉林" & co>', "page": "2"})
    with translation.override(language):
        cases = [
            language_links(request, {"zh-hans": "/zh-hans/a/?x=1&y=<2>", "en": "/en/a/"}),
            language_links(request, {language: f"/{language}/only/"}, {"zh-hans": "/zh-hans/c/", "en": "/en/c/"}),
            language_links(request, {language: f"/{language}/only/"}),
            language_links(request, query=request.GET),
            SimpleLazyObject(lambda: language_links(request)),
            [],
        ]
        for links in cases:
            context = Context({"language_links": links})
            for loop, tag in ((HREFLANG_LOOP, "hreflang_links"), (SWITCHER_LOOP, "language_switcher")):
                assert Template("{% load portal %}{% " + tag + " %}").render(context) == Template(loop).render(context)
