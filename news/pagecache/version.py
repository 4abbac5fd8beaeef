"""The content version: one value in the shared cache that every cached page is checked against.

Any save or delete of content writes a new one (the receiver is in ``news/signals.py``), so the
next request on every instance renders afresh. ``remembered`` keeps a value that many pages
share and that is costly to work out (a column's archive months and article count) under the
same rules as a page: per content version, never past the next scheduled change.
"""

import math
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

VERSION_KEY = "content:version"


SCHEDULE_KEY = "content:schedule"


# The apps whose models are content (shown on reader pages), and those of their models that are
# not: saving the latter must not empty the page cache.
CONTENT_APPS = {"news", "investment"}
NOT_CONTENT_MODELS = {
    "news.dailyvisits",
    "news.articledailyreads",
    "news.searchdocument",
    "investment.enquiry",
    "investment.enquiry_sectors",
    "investment.enquiryevent",
    "investment.serial",
    "investment.workingday",
}


def new_version():
    # A fresh random token rather than an increment: writes from several processes never
    # collide into the same value, and no backend needs an atomic incr.
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def bump_content_version(**kwargs):
    """Make every cached page out of date, on every instance. Safe to call at any time."""
    cache.set(VERSION_KEY, new_version(), None)


def content_version():
    """The current content version, created when missing; None when the cache is unreachable."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def next_schedule_change(version, after):
    """The next time (epoch seconds) a scheduled publish or unpublish, or the end of a project's
    validity, changes what is public.

    Remembered in the shared cache for the content version; a new version or the time
    passing asks the database again (one query on indexed columns).
    """
    known = cache.get(SCHEDULE_KEY)
    if known and known[0] == version and known[1] <= after and (known[2] is None or after < known[2]):
        return known[2]
    from ..investment.models import Project
    from ..models import Article

    moment = datetime.fromtimestamp(after, tz=UTC)
    # Articles' publish and unpublish times, and projects' with the end of their validity, in one
    # query (a second only on a site without articles).
    row = Article.objects.schedule_row(moment, **Project.objects.schedule_subqueries(moment))
    if row is None:
        change = Project.objects.next_schedule_change(moment)
    else:
        times = [row["next_publish"], row["next_unpublish"], Project.objects.schedule_change(row)]
        change = min(filter(None, times), default=None)
    change = change.timestamp() if change else None
    cache.set(SCHEDULE_KEY, (version, after, change), settings.PORTAL_PAGE_CACHE_SECONDS)
    return change


def remembered(name, compute):
    """``compute()``, a value about public content that is the same for every reader, kept in
    the shared cache for the content version and never past the next scheduled change, as a
    page is. For parts shared by many pages that are costly to work out (a column's archive
    months read every article of the column): the first page to need them after an edit pays.
    """
    version = content_version()
    if version is None:
        return compute()
    key = f"remembered:{name}:{version}"
    at = now()
    found = cache.get(key)
    if found is not None and at < found[0]:
        return found[1]
    value = compute()
    valid_until = at + (settings.PORTAL_PAGE_CACHE_SECONDS or 300)
    change = next_schedule_change(version, at)
    if change is not None:
        valid_until = min(valid_until, change)
    if valid_until > at:
        cache.set(key, (valid_until, value), math.ceil(valid_until - at))
    return value


def now():
    """The current time in epoch seconds (``timezone.now()``, which tests may move)."""
    return timezone.now().timestamp()
