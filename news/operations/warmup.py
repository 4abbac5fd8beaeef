"""What a worker does once at start so that its first reader does not wait for it.

A gunicorn worker imports the WSGI application before it accepts a request, but Django does
much of its setting up on the first request: the cache backends (django-redis, diskcache and
their imports), the URLconf and every view module, the templates compiled with their tag
libraries, the translation catalogues. Measured on this 2-core machine at a load average of 7:
the first page of a fresh process took 0.56–0.88 s against 0.04 s for the next, more than half
of it imports. With Redis hung, that first page also pays the circuit breaker's one socket
timeout, and the sum passed the 1 s a page that issue 17 asks for. ``warm_up()`` does that work
when the worker starts (``portal/wsgi.py``); it touches no database or cache server, and on disk
only opens the embedded cache's files (so that a disk that fills later finds them open).
"""

import contextlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def reader_templates():
    """The project's own templates under ``templates/`` (the admin's excepted): ``["base.html", …]``."""
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        folder = Path(folder)
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            if not name.startswith("admin/"):
                names.append(name)
    return names


def warm_up():
    """Create the cache backends (no connection to a server is opened; the embedded cache's
    files are), load the URLconf, compile the reader templates and load the catalogue of every
    language. Never raises: a failure here only leaves the work to the first request, as before."""
    try:
        for alias in settings.CACHES:
            backend = caches[alias]
            if hasattr(backend, "open_stores"):  # the embedded cache's SQLite files, on this disk
                backend.open_stores()
        get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
        for name in reader_templates():
            with contextlib.suppress(TemplateDoesNotExist, TemplateSyntaxError):
                get_template(name)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Home")
    except Exception:  # noqa: BLE001 - a warm-up must never stop a worker from starting
        logger.exception("Warming up the worker failed; the first request does the work instead.")
