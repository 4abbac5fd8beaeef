"""Text as it comes in and goes out: the rich-text allowlist, web addresses, and text made safe
for log lines and file names.

**Rich text.** Whatever the editor widget or an import sends, bodies are cleaned with nh3 before
they are stored (``SanitizedHTMLField``), so templates can render them with ``|safe``.

**Web addresses.** Django's ``URLValidator`` already refuses ``javascript:`` and ``data:``, but as
"Enter a valid URL", which does not tell an editor what is wrong, and it lets ``ftp:`` through.
``validate_web_address`` runs first, in the admin's form fields and in ``full_clean()`` (imports),
with a message that says what is allowed; the ``web_address`` template filter keeps a value
written around validation (a raw ``update()``) from ever becoming a link.
"""

import fnmatch
import html
import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

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
    for _pass in range(MAX_PASSES - 1):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# --- Rich text as plain text -----------------------------------------------------------------

# Where a block or a table cell ends, the text has a space: <td>24</td><td>408.78</td> reads
# "24 408.78", not "24408.78". Inline elements (<strong>吉</strong>林) join as they do on the page.
_BOUNDARY = re.compile(
    r"<(?:br|hr|/?(?:p|div|td|th|tr|li|dt|dd|h[1-6]|table|thead|tbody|tfoot|caption|figure|figcaption|blockquote|pre|ul|ol|dl))\b[^>]*>",
    re.IGNORECASE,
)


def plain_text(html_text):
    """The text a reader sees in ``html_text``: tags gone, blocks and cells apart, entities
    decoded once (``R&amp;D`` is ``R&D``: indexed so, and escaped once when shown)."""
    text = strip_tags(_BOUNDARY.sub(" ", html_text or ""))
    return " ".join(html.unescape(text).split())


def escape_html(value):
    """``conditional_escape(value)`` as a plain string, without the wrapper that checks each
    call for lazy arguments (hundreds of calls a page: the reader forms' options, the page's
    head): safe text as it is, anything else escaped as Django's ``escape()`` escapes it."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# --- Web addresses ------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")
WEB_ADDRESS_MESSAGE = _("Only web addresses that start with http:// or https:// can be used.")


def is_web_address(value):
    """Whether ``value`` is an http or https address (as a browser would read its scheme)."""
    try:
        # urlsplit drops tabs and newlines inside the scheme and leading spaces, as browsers do.
        return urlsplit(str(value).strip()).scheme.lower() in WEB_SCHEMES
    except ValueError:
        return False


def validate_web_address(value):
    if value and not is_web_address(value):
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="web_address")


# --- Text for log lines and file names ------------------------------------------------------

INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


_PICTURE_SOURCE = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"", re.IGNORECASE)


def outside_pictures(html):
    """The ``src`` of every picture in ``html`` that reader pages cannot show: one from another site
    (a WeChat article, another government site), which the Content-Security-Policy's ``img-src``
    blocks. Pictures of the site itself (a path, ``data:``) and of the media origins
    (``PORTAL_MEDIA_ORIGINS``, ``*`` as a wildcard) are shown. A list of strings, in order."""
    from django.conf import settings

    allowed = [origin.rstrip("/").lower() for origin in settings.PORTAL_MEDIA_ORIGINS]
    outside = []
    for source in _PICTURE_SOURCE.findall(html or ""):
        address = source.strip()
        if address.startswith("data:") or (address.startswith("/") and not address.startswith("//")):
            continue
        parts = urlsplit(address if "//" in address else f"//{address}", scheme="https")
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if parts.netloc and any(fnmatch.fnmatchcase(origin, pattern) for pattern in allowed):
            continue
        outside.append(address)
    return outside


def log_value(value):
    """``value`` as text that cannot break a log line: control characters escaped, quoted."""
    text = str(value)
    out = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif unicodedata.category(char) in INVISIBLE_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def short_log_value(text):
    """A request path or an error message as one safe log token (user input: no new lines, no fake fields)."""
    return repr(str(text)[:300])


def visible(text):
    """Control and invisible format characters (a right-to-left override shows "report\u202eexe.pdf"
    as "reportfdp.exe") and line or paragraph separators as spaces."""
    return "".join(" " if unicodedata.category(c) in INVISIBLE_CATEGORIES else c for c in text)


# --- Text that every output can carry -------------------------------------------------------

# Line and paragraph breaks that are not "\n": Word's manual line break (U+000B), form feed,
# the information separators, NEL, and the Unicode line and paragraph separators (pasted from
# web editors and WeChat). ``str.splitlines`` splits at every one of them.
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# What XML 1.0 cannot carry (https://www.w3.org/TR/xml/#charsets: C0 controls other than tab,
# LF and CR, lone surrogates, U+FFFE and U+FFFF), and the C1 controls, which nothing displays.
_UNCARRIABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
_SINGLE_LINE_BREAK = re.compile(f"[{LINE_BREAKS}\t\n\r]")


def clean_text(value, multiline=True):
    """``value`` without the characters XML and JSON Lines cannot carry.

    Line and paragraph separators become ``"\\n"`` (a space when ``multiline`` is false, for
    one-line fields such as titles); other control characters, lone surrogates, U+FFFE and
    U+FFFF are removed. Anything that is not a ``str`` is returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    value = _UNCARRIABLE.sub("", value)
    return (_LINE_BREAK if multiline else _SINGLE_LINE_BREAK).sub("\n" if multiline else " ", value)


# --- Slugs ----------------------------------------------------------------------------------

_DECIMAL_POINT = re.compile(r"(?<=\d)[.·](?=\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NOT_A_WORD = re.compile(r"[^\w\s'’-]")


def slug_from(title, max_length=100):
    """The readable part of an address made from ``title``: ASCII words joined by hyphens.

    Unlike ``django.utils.text.slugify`` alone, figures survive (``118.4 Billion`` gives
    ``118-4-billion``, ``1,200`` gives ``1200``) and separators (``·``, ``/``, ``&``, dashes)
    become hyphens instead of joining the words on both sides. Cut at a hyphen to fit
    ``max_length``.
    """
    text = _THOUSANDS.sub("", title or "")
    text = _NOT_A_WORD.sub(" ", _DECIMAL_POINT.sub("-", text))
    slug = slugify(text.replace("’", "'"))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


# CJK ideographs, kana and hangul.
_EAST_ASIAN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def has_east_asian(text):
    """Whether ``text`` holds a Chinese, Japanese or Korean character."""
    return bool(_EAST_ASIAN.search(text or ""))
