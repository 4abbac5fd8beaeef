"""The one HTML allowlist for rich text that editors write.

Whatever the editor widget or an import sends, bodies are cleaned with nh3 before they
are stored, so templates can render them with ``|safe``.
"""

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "abbr": {"title"},
    "*": {"lang"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Cleaning is repeated until the output no longer changes, at most this many times.
MAX_PASSES = 4


def _clean_once(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html):
    """Return ``html`` reduced to the allowlist; links get ``rel="noopener noreferrer"``.

    One pass is not always a fixed point: the HTML parser moves some content while
    cleaning (text inside a ``<table>`` is put before it), and the next parse may change
    the result again (``<table>\ufeff</table>``, found by tests/news/test_properties.py).
    Cleaning until nothing changes makes the sanitizer idempotent, so what is stored is
    exactly what a later save or import would store.
    """
    if not html:
        return html
    cleaned = _clean_once(html)
    for _ in range(MAX_PASSES - 1):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned
