"""What readers and editors get when a part of the installation fails.

**Database away.** Django turns any exception a view or a middleware raises into the response
of ``handler500`` (``news.views.site.server_error``), wherever in the middleware stack it was raised:
a session read, the login throttle, a view or the session save after it. That handler asks
``database_unavailable`` whether the exception is the database being out of reach and answers
with ``service_unavailable``: a 503 with ``Retry-After`` whose page needs neither the database
nor the request's context processors, written in both languages (the reader's first, from the
address's prefix, the language cookie or ``Accept-Language``). The page cache (news/pagecache/)
answers before any of this, so readers of cached pages see nothing. The error is logged once,
with its class, instead of Django's traceback. Staff in the admin are told that their change was
not saved and that their browser's Back button returns to the form as they filled it: an admin
save runs in one transaction, so a failure leaves nothing half-written.

Once the database is back, the next request connects again by itself (``CONN_HEALTH_CHECKS``
drops a broken persistent connection before it is used).

**Storage full or failing.** A save whose file the storage refuses comes back as a form error,
and no file of it is left behind (``news/uploads/cleanup.py``).

**Cache away.** django-redis with ``IGNORE_EXCEPTIONS`` turns a Redis outage into cache misses;
``CacheOutageLogFilter`` turns its per-call error-with-traceback into one warning line, repeated
at most once a minute per process, so an outage is visible in the log without flooding it.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from ..text import short_log_value

logger = logging.getLogger("portal.faults")

# What a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


# The errors of a database that cannot be reached or has dropped the connection. Integrity and
# programming errors are bugs or bad data: they stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exception):
    """The database error behind ``exception`` (itself, or what caused it), or None."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return exception
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return None


def log_unavailable(request, exception):
    logger.error(
        "Database unavailable (%s) on %s %s: %s",
        type(exception).__name__,
        request.method,
        short_log_value(request.path),
        short_log_value(str(exception).strip().splitlines()[0] if str(exception).strip() else ""),
    )


def _languages_for(request):
    """The reader's language first, then the others: the page is written in all of them."""
    try:
        first = translation.get_language_from_request(request, check_path=True)
    except Exception:  # noqa: BLE001 - a broken header must not break the error page
        first = settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return [first] + [code for code in codes if code != first]


def service_unavailable(request, exception):
    """The 503 answer for ``request`` while the database is away; see the module docstring."""
    log_unavailable(request, exception)
    in_admin = request.path.startswith("/" + settings.PORTAL_ADMIN_URL)
    sections = []
    languages = _languages_for(request)
    for code in languages:
        with translation.override(code):
            sections.append(
                {
                    "code": code,
                    "title": str(_("Service temporarily unavailable")),
                    "text": str(_("The site cannot reach its database just now. Please try again in a few minutes.")),
                    "admin_text": str(
                        _(
                            "Nothing was saved. Your browser's Back button returns to your form with what you "
                            "typed (files must be chosen again); save it again once the site answers."
                        )
                    )
                    if in_admin and request.method == "POST" and not request.path.endswith("/login/")
                    else "",
                }
            )
    body = get_template("503.html").render({"sections": sections, "language": languages[0]})
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = languages[0]
    patch_cache_control(response, no_store=True)
    # Logged above, once and without a traceback; Django would log it again as a server error.
    response._has_been_logged = True
    return response


class CacheOutageLogFilter(logging.Filter):
    """django-redis's "Exception ignored" errors as one warning line, at most once a minute. Other
    lines on the logger pass unchanged (they once became "Cache unavailable (error: )").

    The minute is kept on the class, not the instance: configuring logging again in the same
    process (a second ``django.setup()``) adds another instance to the logger, and the two must
    act as one. A record another instance has already rewritten is let through as it is.
    """

    INTERVAL_SECONDS = 60
    _lock = threading.Lock()
    _next = 0.0
    _suppressed = 0

    @classmethod
    def reset(cls):
        """Start a fresh minute: the next failure is logged."""
        with cls._lock:
            cls._next, cls._suppressed = 0.0, 0

    # What django-redis (and news/operations/sharedcache.py, in its words) logs for each ignored error.
    IGNORED = "Exception ignored"

    def filter(self, record):
        if getattr(record, "cache_outage_rewritten", False) or record.msg != self.IGNORED:
            return True  # the portal's own lines on this logger say what they mean; left as they are
        cls = type(self)
        error = record.exc_info[1] if record.exc_info else None
        with cls._lock:
            now = time.monotonic()
            if now < cls._next:
                cls._suppressed += 1
                return False
            cls._next = now + self.INTERVAL_SECONDS
            suppressed, cls._suppressed = cls._suppressed, 0
        record.cache_outage_rewritten = True
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = "Cache unavailable (%s: %s); serving without it%s."
        record.args = (
            type(error).__name__ if error else "error",
            str(error).strip().splitlines()[0] if error and str(error).strip() else "",
            f" ({suppressed} more failures in the last minute)" if suppressed else "",
        )
        record.exc_info = record.exc_text = None
        return True
