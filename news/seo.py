"""What a page tells search engines and link previews: the head's description, canonical address,
Open Graph and Twitter tags, the government-website tags and an article's NewsArticle JSON-LD."""

import json
import re
from functools import lru_cache

from django.template.defaultfilters import truncatechars
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import SafeData, mark_safe

from .i18n import bcp47, og_locale
from .text import escape_html, has_east_asian

SHARE_IMAGE = "img/share.png"


@lru_cache(maxsize=1)
def share_image_path():
    """The share picture's address (a path, or a URL with a CDN's ``STATIC_URL``), once a process."""
    # The hashed name from the static files manifest, which is read once per process anyway.
    return static(SHARE_IMAGE)


def reset():
    """Forget the share image's hashed name (news/signals.py calls it when the static settings change)."""
    share_image_path.cache_clear()


def share_image(request):
    """The absolute address of the picture link previews show for a page without its own."""
    return request.build_absolute_uri(share_image_path())


# Names in a byline are separated by these; Chinese bylines also by spaces (李雪晴 姜明远).
NAME_SEPARATORS = re.compile(r"\s*(?:[,，、;；/／|｜]|\band\b)\s*")
# Words before the names that are no name: 记者 (reporter), 通讯员 (correspondent), 文 (text by), 摄 (photos by).
# 文, 摄 and 图 only when something sets them apart (文 is also a family name).
_ROLES = re.compile(r"^(?:(?:本报|本网)?(?:记者|通讯员)\s*[:：]?\s*|(?:文|摄影?|图)(?:\s*[:：]\s*|\s+|$))")


def byline_names(byline):
    """The people a byline names, one string each: ``"李雪晴 姜明远"`` → ``["李雪晴", "姜明远"]``,
    ``"Li Ming and Wang Fang"`` → ``["Li Ming", "Wang Fang"]``.

    Chinese and Korean names hold no space, so a space separates two of them; in Latin letters
    it separates given and family name, so only commas, 、, semicolons, slashes and "and" do.
    A Japanese name written with a space (佐藤 花子) reads as two: write it without one.
    """
    names = []
    for part in NAME_SEPARATORS.split(byline or ""):
        part = _ROLES.sub("", part.strip())
        if has_east_asian(part):
            names.extend(_ROLES.sub("", word) for word in part.split())
        elif part:
            names.append(part)
    return [name for name in names if name]


def article_meta(request, article, site_name):
    """The ``meta`` dict that templates/includes/meta.html renders, for an article."""
    absolute = request.build_absolute_uri
    url = absolute(article.get_absolute_url())
    image = absolute(article.cover_image.url) if article.cover_image else None
    default_image = share_image(request)
    description = article.summary or article.title
    publisher = {"@type": "Organization", "name": site_name}
    people = [{"@type": "Person", "name": name} for name in byline_names(article.author)]
    return {
        "title": article.title,
        "description": description,
        "type": "article",
        "canonical": url,
        "image": image,
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            # The whole title: Google's old 110-character limit is gone, and a cut one misleads.
            "headline": article.title,
            "description": description,
            "datePublished": article.publish_at.isoformat(),
            "dateModified": article.updated_at.isoformat(),
            "inLanguage": bcp47(translation.get_language()),
            "articleSection": article.column.name,
            "mainEntityOfPage": url,
            "url": url,
            "image": [image or default_image],
            "author": people or [publisher],
            "publisher": {**publisher, "logo": {"@type": "ImageObject", "url": default_image}},
        },
    }


# The escapes django.utils.html.json_script uses, so JSON cannot close the script element.
# Line separators too: JSON carries them raw, but older JavaScript parsers end a string there.
_JSON_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    0x85: "\\u0085",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data):
    """Structured data as a JSON-LD block: data for search engines, never executed as script."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


def clip(value, length):
    """``truncatechars``, without its walk over every character when the text already fits
    (the walk costs tens of microseconds on every uncached page's description)."""
    text = str(value)
    return text if len(text) <= int(length) else truncatechars(text, length)


DESCRIPTION_LENGTH = 200


def page_meta(context):
    """The tags of a reader page's head after its title, from the template ``context`` of
    templates/base.html (``{% page_meta %}``): the description, the canonical address, Open Graph
    and Twitter tags, the government-website tags and the page's JSON-LD.

    ``meta`` is what the view passes (``PageMetaMixin.get_meta``), every key optional: ``title``
    and ``description`` (the site's name without them; the description clipped to 200
    characters), ``type`` (``website``), ``canonical`` (the request's own address), ``image``
    (the site's share picture) and ``json_ld``.

    Written in Python, not as a template: the template of these 30 tags, with its ``{% with %}``,
    its ``default`` and ``clip`` filters and two includes, was a quarter of the CPU of a cold
    article's templates (docs/benchmarks.md, "The floor of every page"). The bytes are those
    the template wrote (tests/news/test_seo.py compares them).
    """
    request = context["request"]
    meta = context.get("meta") or {}
    site_name = context["site_settings"].site_name
    title = escape_html(meta.get("title") or site_name)
    description = meta.get("description") or site_name
    clipped = clip(description, DESCRIPTION_LENGTH)
    description = escape_html(mark_safe(clipped) if isinstance(description, SafeData) else clipped)
    canonical = escape_html(meta.get("canonical") or request.build_absolute_uri(request.path))
    image = escape_html(meta.get("image") or context.get("default_share_image", ""))
    alternates = "".join(
        f'<meta property="og:locale:alternate" content="{escape_html(og_locale(link["code"]))}">'
        for link in context.get("language_links") or ()
        if link["alternate"] and not link["is_current"]
    )
    json = meta.get("json_ld")
    return mark_safe(  # noqa: S308 - every value escaped above
        f"""
  <meta name="description" content="{description}">
  <link rel="canonical" href="{canonical}">
  <meta property="og:site_name" content="{escape_html(site_name)}">
  <meta property="og:title" content="{title}">
  <meta property="og:description" content="{description}">
  <meta property="og:type" content="{escape_html(meta.get("type") or "website")}">
  <meta property="og:url" content="{canonical}">
  <meta property="og:image" content="{image}">
  <meta property="og:locale" content="{escape_html(og_locale(context.get("LANGUAGE_CODE", "")))}">
  {alternates}
  <meta name="twitter:card" content="summary_large_image">
  <meta name="twitter:title" content="{title}">
  <meta name="twitter:description" content="{description}">
  <meta name="twitter:image" content="{image}">
  {government_meta(context, site_name)}
  {json_ld(json) if json else ""}

"""
    )


def government_meta(context, site_name):
    """The page metadata of the State Council's government-website guidelines (国办发〔2017〕47号,
    网页设计规范): site tags on every page, column tags on a column's pages, article tags on an
    article. The guidelines' Description is the description tag (meta names are case-insensitive)."""
    request = context["request"]
    site_settings = context["site_settings"]
    article = context.get("article")
    column = getattr(article, "column", None)
    if not column:
        column = context.get("column")
        column = column if getattr(column, "pk", None) else None
    columns = ""
    if column:
        name = escape_html(column.name)
        columns = f"""  <meta name="ColumnName" content="{name}">
  <meta name="ColumnDescription" content="{escape_html(column.description or column.name)}">
  <meta name="ColumnKeywords" content="{name}">
  <meta name="ColumnType" content="{escape_html(_kind_label(column))}">
"""
    articles = ""
    if getattr(article, "pk", None):
        document = context.get("document")
        if document and document.keywords:
            keywords = escape_html(document.keywords)
        else:
            keywords = " ".join(escape_html(tag.name) for tag in context.get("tags") or ())
        articles = f"""
  <meta name="ArticleTitle" content="{escape_html(article.title)}">
  <meta name="PubDate" content="{_minute(article.publish_at)}">
  <meta name="ContentSource" content="{escape_html(article.source or site_name)}">
  <meta name="Keywords" content="{keywords}">
  <meta name="Author" content="{escape_html(article.author or site_name)}">
"""
    return f"""
  <meta name="SiteName" content="{escape_html(site_name)}">
  <meta name="SiteDomain" content="{escape_html(request.get_host())}">
  <meta name="SiteIDCode" content="{escape_html(site_settings.government_site_code)}">
{columns}
{articles}
"""


def _kind_label(column):
    """``column.get_kind_display()`` through the choices class (``Column.Kind(value).label``): the
    same label without translating every choice's label to hash it (a third of the head's cost on
    a column's pages); the stored value for one that is no choice, as ``get_kind_display()``."""
    try:
        return str(type(column).Kind(column.kind).label)
    except ValueError:
        return column.kind


def _minute(moment):
    """``{{ moment|date:"Y-m-d H:i" }}``: in the reader's time zone, "" for no moment."""
    if not moment:
        return ""
    moment = timezone.template_localtime(moment)
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"
