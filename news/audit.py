"""The audit log: who did what, when (UTC) and from where, on the ``portal.audit`` logger.

Recorded: failed logins and lockouts, successful logins, permission refusals (the newsroom
workflow's and every 403 answer), publishing and unpublishing, and deletions. Every record is
one line ``audit <event> at=<UTC time> user=<username> ip=<address> key="value" …``; every
value is escaped (control and line-separator characters as ``\\xNN``/``\\uNNNN``, quotes and
backslashes too), so nothing typed into a form can start a new line or fake a field.

``AuditMiddleware`` remembers the current request (a context variable), so that code without
one — model signals, the workflow — can still name the user and the address.
"""

import contextvars
import logging
import unicodedata
from datetime import UTC, datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, pre_save

logger = logging.getLogger("portal.audit")

_current_request = contextvars.ContextVar("audit_request", default=None)

# Deletions of these are recorded (with the news app's models).
AUDITED_DELETE_APPS = {"news", "auth"}
NOT_AUDITED = {"news.dailyvisits", "news.articledailyreads", "news.searchdocument"}


def escape(value):
    """``value`` as text that cannot break a log line: control characters escaped, quoted."""
    text = str(value)
    out = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


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
    from .security import client_ip

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
    line = " ".join(f"{key}={escape(value)}" for key, value in fields.items())
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


# --- receivers ------------------------------------------------------------------------


def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username", ""))
    event("login.failed", request=request, username=username or "")


def _logged_in(sender, request, user, **kwargs):
    event("login.success", request=request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs):
    event("login.locked_out", request=request, username=username or "")


def _status_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        before = None
    else:
        before = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    published = sender.Status.PUBLISHED
    if instance.status == published and before != published:
        name = "article.publish"
    elif before == published and instance.status != published:
        name = "article.unpublish"
    else:
        return
    event(
        name,
        user=getattr(instance, "updated_by", None) if _current_request.get() is None else None,
        article=instance.pk or "new",
        title=instance.title_zh_hans or instance.title_en or "",
        status=instance.status,
        publish_at=instance.publish_at.astimezone(UTC).isoformat() if instance.publish_at else "",
        when_committed=True,
    )


def _deleted(sender, instance, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label not in AUDITED_DELETE_APPS or label in NOT_AUDITED:
        return
    event("delete", model=label, id=instance.pk, object=str(instance)[:200], when_committed=True)


def connect_signals():
    from axes.signals import user_locked_out

    from .models import Article

    user_login_failed.connect(_login_failed, dispatch_uid="news.audit.login_failed")
    user_logged_in.connect(_logged_in, dispatch_uid="news.audit.logged_in")
    user_locked_out.connect(_locked_out, dispatch_uid="news.audit.locked_out")
    pre_save.connect(_status_before_save, sender=Article, dispatch_uid="news.audit.status")
    post_delete.connect(_deleted, dispatch_uid="news.audit.delete")
