import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext

from .. import context_processors, seo
from ..i18n import bcp47, og_locale
from ..pagecache import fragments
from ..seo import NAME_SEPARATORS, byline_names
from ..text import escape_html, is_web_address

register = template.Library()


register.filter(bcp47)


@register.filter
def people(byline):
    """A byline (an article's author or editor in charge, as typed for the page's language) with its
    people listed as that language lists them: ``"王小明，李华"`` → ``"王小明、李华"`` on a Chinese page,
    ``"Wang Xiaoming, Li Hua"`` → ``"Wang Xiaoming and Li Hua"`` on an English one (three or more:
    ``"A, B and C"``). Names keep the order they were typed in (Chinese names family name first in
    both languages, as the agency writes them). A byline with words that are not names (记者, 摄)
    is shown as typed: listing only the names would lose who did what."""
    byline = (byline or "").strip()
    names = byline_names(byline)
    if len(names) < 2 or _letters(" ".join(names)) != _letters(NAME_SEPARATORS.sub(" ", byline)):
        return byline
    return listed(names)


@register.filter
def listed(items):
    """``items`` (strings, or anything ``str()`` names) as the page's language lists them:
    ``"吉林省人民政府、国务院"`` on a Chinese page, ``"A and B"`` or ``"A, B and C"`` on an English one."""
    names = [str(item) for item in items]
    if get_language().startswith("zh"):
        return "、".join(names)
    return get_text_list(names, gettext("and"))


def _letters(text):
    return "".join(text.split())


@register.filter
def people_count(byline):
    """How many people ``byline`` names (at least one when it is not empty), for a singular or plural label."""
    return max(len(byline_names(byline)), 1 if byline else 0)


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    return context["request"].build_absolute_uri(url)


register.filter(og_locale)


@register.filter
def web_address(value):
    """``value`` if it is an http or https address, else ``""``: what link fields may put in an ``href``."""
    return value if value and is_web_address(value) else ""


@register.filter(expects_localtime=True)
def isoformat(value):
    """``{{ moment|isoformat }}``: what ``|date:'c'`` writes, for ``<time datetime>``.

    Lists show two dates an item, and the date filter looks its format up in the locale
    modules on every call: dates were a large share of an uncached article page. Whole
    seconds: HTML's date-time strings allow at most three digits of a fraction (WHATWG HTML,
    "valid global date and time string"), and a moment saved as "now" has six.
    """
    return _machine_readable(value)


def _machine_readable(value):
    """A ``datetime`` to the second with its offset, a ``date`` as ``YYYY-MM-DD``; ``""`` otherwise."""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if hasattr(value, "isoformat") else ""


@register.filter(expects_localtime=True)
def strftime(value, pattern):
    """``{{ moment|strftime:"%Y-%m-%d" }}``: a numeric date, the same in every language, in the
    reader's time zone like ``|date`` (see ``isoformat``)."""
    return value.strftime(pattern) if hasattr(value, "strftime") else ""


@register.simple_tag
def time_element(moment, pattern="%Y-%m-%d"):
    """``{% time_element item.publish_at %}``: ``<time datetime="2026-11-30T08:00:00+08:00">2026-11-30</time>``,
    in the reader's time zone; ``pattern`` is a ``strftime`` pattern. The one place dates on reader
    pages are written (see ``isoformat`` for why not ``|date``)."""
    if not hasattr(moment, "isoformat"):
        return ""
    moment = timezone.template_localtime(moment)
    return format_html('<time datetime="{}">{}</time>', _machine_readable(moment), moment.strftime(pattern))


class ChromeNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        version = context.get("content_version")
        if not version:  # the shared cache is away: nothing is kept
            return self.nodelist.render(context)
        key = (self.name, *(str(value.resolve(context)) for value in self.vary_on))
        return context_processors.chrome_fragment(version, key, lambda: self.nodelist.render(context))


@register.tag
def chrome(parser, token):
    """``{% chrome NAME [VALUE …] %}…{% endchrome %}``: a part of the header or footer, rendered once
    per content version (and per ``VALUE``: the language, the menu's current item) and kept in this
    process (``context_processors.chrome_fragment``); rendered every time when there is no version."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'chrome' takes a name, then the values the part varies on.")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """``{% hreflang_links %}``: a ``<link rel="alternate" hreflang>`` for each language the page exists
    in (``language_links``, its ``alternate`` entries), each on its line as base.html's loop wrote them."""
    written = []
    for link in context.get("language_links") or ():
        if link["alternate"]:
            tag, url = escape_html(link["tag"]), escape_html(link["absolute_url"])
            written.append(f'\n    <link rel="alternate" hreflang="{tag}" href="{url}">\n    ')
    return mark_safe("".join(written))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """``{% language_switcher %}``: the header's language switcher, one ``<li>`` a language
    (``language_links``): the current one named, the others linked where the page or its fallback
    exists. Written here rather than as a loop of a dozen lookups in includes/header.html."""
    items = []
    for link in context.get("language_links") or ():
        tag, name = escape_html(link["tag"]), escape_html(link["name_local"])
        if link["is_current"]:
            named = f'\n              <span aria-current="true" lang="{tag}">{name}</span>\n            '
        elif link["url"]:
            url = escape_html(link["url"])
            named = f'\n              <a href="{url}" hreflang="{tag}" lang="{tag}">{name}</a>\n            '
        else:
            named = ""
        items.append(f"\n          <li>\n            {named}\n          </li>\n        ")
    return mark_safe("".join(items))  # noqa: S308 - escaped


register.filter("clip", seo.clip, is_safe=True)
register.simple_tag(seo.json_ld)


@register.simple_tag(takes_context=True)
def page_meta(context):
    """``{% page_meta %}``: the tags of a reader page's head after its title (``seo.page_meta``)."""
    return seo.page_meta(context)


@register.simple_tag
def cards(items, template_name):
    """``{% cards articles "includes/article_card.html" %}``: each item's card, kept per object
    (news/pagecache/fragments.py). ``items``: articles, or ``CardRows`` (only what a card shows,
    the articles read whole for the cards not kept)."""
    if isinstance(items, fragments.CardRows):
        rows = [(pk, fragments.digest(tuple(values))) for pk, *values in items]
        return fragments.cards(rows, template_name, load=items.load)
    return fragments.cards(items, template_name, shown=fragments.article_card_values)


@register.simple_tag
def featured_cards(rows, template_name):
    """``{% featured_cards featured "includes/featured_card.html" %}``: the home page's featured
    articles as cards (news/pagecache/fragments.py), the first with its cover loaded at once
    (``eager``: it is in view when the page opens), the others lazily. ``rows``: a
    ``FeaturedCardRows``."""
    load = rows.load
    rows = [(pk, fragments.digest(tuple(values))) for pk, *values in rows]
    first = fragments.cards(rows[:1], template_name, "eager", load=load, context={"eager": True})
    rest = fragments.cards(rows[1:], template_name, load=load)
    return mark_safe(first + rest)  # noqa: S308 - two runs of cards, each rendered by a template that escapes


@register.tag
def kept(parser, token):
    """``{% kept key "name" [max_characters] %}…{% endkept %}``: what is between, kept in this process
    under ``key`` (a digest of everything it shows, news/pagecache/fragments.py ``kept_part``) and
    ``name``; rendered every time when ``key`` is empty, or when it renders longer than
    ``max_characters`` (default ``KEPT_PART_MAX_CHARACTERS``)."""
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a key, a name and at most a length")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    longest = int(bits[3]) if len(bits) == 4 else fragments.KEPT_PART_MAX_CHARACTERS
    return KeptNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), longest)


class KeptNode(template.Node):
    def __init__(self, nodelist, key, name, longest):
        self.nodelist, self.key, self.name, self.longest = nodelist, key, name, longest

    def render(self, context):
        # A missing key is no key, whatever ``string_if_invalid`` says: previews are never kept.
        key = self.key.resolve(context, ignore_failures=True) or None
        name = self.name.resolve(context)
        render = lambda: self.nodelist.render(context)  # noqa: E731
        return fragments.kept_part(key, name, render, context.render_context, self.longest)
