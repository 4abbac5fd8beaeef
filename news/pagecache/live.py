"""Parts of a cached page filled in when it is served: the footer's total visits and an article's
read count move with every visit, so the cached HTML keeps their place (``<span class="NAME">``)
and ``LIVE_FRAGMENTS[NAME]`` puts in the current figure. The ETag is computed without them
(it is weak), so a changed count alone does not defeat a 304.
"""

import hashlib
import html
import re
import time

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

# The figure, formatted per language, is worked out at most once a second per process: a
# cache hit then reads no more than the entry and the content version.
TOTAL_MEMO_SECONDS = 1


_total_memo = {}


def _total_visits(request, entry):
    from .. import visits

    now = time.monotonic()
    remembered = _total_memo.get(entry.language)
    if remembered and remembered[0] > now:
        return remembered[1]
    total = visits.site_total()
    if total is None:
        return None
    with translation.override(entry.language):
        text = intcomma(total)
    _total_memo[entry.language] = (now + TOTAL_MEMO_SECONDS, text)
    return text


def _read_count(request, entry):
    """An article page's read count: the stored sum (kept in the shared cache) plus pending reads.

    Remembered for ``TOTAL_MEMO_SECONDS`` per article and language, as the total is: a hit on
    a busy article then reads nothing but its entry and the content version.
    """
    from .. import visits

    header = entry.headers.get(visits.ARTICLE_HEADER.lower())
    if not header:
        return None
    now = time.monotonic()
    remembered = _reads_memo.get((header[1], entry.language))
    if remembered and remembered[0] > now:
        return remembered[1]
    reads = visits.article_reads(int(header[1]))
    if reads is None:
        return None
    with translation.override(entry.language):
        text = intcomma(reads)
    if len(_reads_memo) >= READS_MEMO_SIZE:
        _reads_memo.clear()
    _reads_memo[header[1], entry.language] = (now + TOTAL_MEMO_SECONDS, text)
    return text


READS_MEMO_SIZE = 10_000


_reads_memo = {}


# ``<span class="NAME">…</span>`` in a cached page is filled in at serve time by LIVE_FRAGMENTS[NAME],
# called with the request (None when the fast path built none: news/pagecache/wsgi.py) and the
# entry; it returns the text, or None to keep the cached text. The figures are the same for every
# reader of a page.
LIVE_FRAGMENTS = {"total-visits": _total_visits, "read-count": _read_count}


def _live_pattern():
    names = "|".join(re.escape(name) for name in LIVE_FRAGMENTS)
    return re.compile(rf'(<span class="(?:{names})">)([^<]*)(</span>)'.encode())


def split_live(body):
    """The body as alternating bytes and (name, cached text) pairs."""
    parts, position = [], 0
    for match in _live_pattern().finditer(body):
        name = match.group(1)[len(b'<span class="') : -len(b'">')].decode()
        parts.append(body[position : match.end(1)])
        parts.append((name, match.group(2)))
        position = match.start(3)
    parts.append(body[position:])
    return tuple(parts)


def live_values(request, entry):
    """The figures of ``entry``'s live parts now, in order: a tuple of strings (None where a
    part keeps its cached text). Equal tuples give equal bodies (``render_live``)."""
    if len(entry.parts) == 1:
        return ()
    return tuple(
        LIVE_FRAGMENTS[part[0]](request, entry) if part[0] in LIVE_FRAGMENTS else None
        for part in entry.parts
        if not isinstance(part, bytes)
    )


def render_live(request, entry, values=None):
    """``entry``'s body with its live parts filled in (``values``: ``live_values()`` of it, when
    already worked out)."""
    if len(entry.parts) == 1:
        return entry.parts[0]
    if values is None:
        values = live_values(request, entry)
    chunks, filled = [], iter(values)
    for part in entry.parts:
        if isinstance(part, bytes):
            chunks.append(part)
            continue
        value = next(filled)
        # html.escape: what Django's escape() does, without its lazy-string wrapper.
        chunks.append(part[1] if value is None else html.escape(value).encode())
    return b"".join(chunks)


def etag(parts):
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part[0].encode())
    return f'W/"{digest.hexdigest()}"'


def reset():
    """Forget the figures this process remembers (tests call it between cases)."""
    _total_memo.clear()
    _reads_memo.clear()
