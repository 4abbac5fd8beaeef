"""The audit log: who did what, when (UTC) and from where, on the ``portal.audit`` logger.

Recorded: failed logins and lockouts, successful logins, permission refusals (the newsroom
workflow's and every 403 answer), publishing and unpublishing, and deletions. Every record is
one line ``audit <event> at=<UTC time> user=<username> ip=<address> key="value" …``; every
value is escaped (control and line-separator characters as ``\\xNN``/``\\uNNNN``, quotes and
backslashes too), so nothing typed into a form can start a new line or fake a field.

``AuditMiddleware`` remembers the current request (a context variable), so that code without
one — model signals, the workflow — can still name the user and the address. The receivers
that record logins, publishing and deletions are in ``news/signals.py``.
"""

import contextvars
import logging
from datetime import UTC, datetime
from functools import partial

from django.db import transaction

from .operations.headers import client_ip
from .text import log_value

logger = logging.getLogger("portal.audit")

_current_request = contextvars.ContextVar("audit_request", default=None)

# Deletions of these are recorded (with the news app's models).
AUDITED_DELETE_APPS = {"news", "auth"}
NOT_AUDITED = {"news.dailyvisits", "news.articledailyreads", "news.searchdocument"}


def current_request():
    """The request being answered in this thread or task, or None (a command, a test)."""
    return _current_request.get()


def _username(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.get_username()


def event(name, *, request=None, user=None, username=None, when_committed=False, **details):
    """Log one audit event. ``request`` defaults to the current one; ``user`` to its user.

    ``when_committed``: what the event describes is being written in the current transaction;
    the line (filled in now, with the request's user and address) is logged once that commits,
    and never if it rolls back, so a failed save is not recorded as done.
    """
    request = request if request is not None else _current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    who = username if username is not None else _username(user)
    fields = {
        "at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "user": "-" if who is None else who,
        "ip": client_ip(request) if request is not None else "-",
        **({"path": request.path} if request is not None else {}),
        **details,
    }
    line = " ".join(f"{key}={log_value(value)}" for key, value in fields.items())
    if when_committed:
        transaction.on_commit(partial(logger.info, "audit %s %s", name, line))
    else:
        logger.info("audit %s %s", name, line)


class AuditMiddleware:
    """Keeps the request for ``event`` and records every 403 answer as a permission refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if response.status_code == 403:
            event("permission.denied", request=request, method=request.method)
        return response
