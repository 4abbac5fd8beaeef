"""Editing presence: "李主编 is editing this article since 10:02", shown to a second person who
opens the same article. Advisory only; the edit-conflict refusal (news/admin/forms.py) stays the
last line of defence.

Each open change form reports itself every ``PORTAL_PRESENCE_HEARTBEAT_SECONDS`` (static/js/
admin-presence.js) and when it is left; a person counts as present for three heartbeats after
the last. Kept in the shared cache (Redis when configured), so every instance sees every person;
a cache outage only hides the notice.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..staff.names import display_name


def _key(pk):
    return f"presence:article:{pk}"


def _lifetime():
    return 3 * settings.PORTAL_PRESENCE_HEARTBEAT_SECONDS


def _present(pk):
    now = time.time()
    people = cache.get(_key(pk)) or {}
    return {user: entry for user, entry in people.items() if now - entry["seen"] < _lifetime()}


def mark(pk, user, leaving=False):
    """Record that ``user`` has article ``pk`` open (or, ``leaving``, no longer)."""
    people = _present(pk)
    if leaving:
        people.pop(user.pk, None)
    else:
        since = people.get(user.pk, {}).get("since", time.time())
        people[user.pk] = {"name": display_name(user), "since": since, "seen": time.time()}
    cache.set(_key(pk), people, _lifetime())


def others(pk, user):
    """The sentences naming everyone else who has article ``pk`` open, earliest first."""
    sentences = []
    for user_pk, entry in sorted(_present(pk).items(), key=lambda item: item[1]["since"]):
        if user_pk == user.pk:
            continue
        since = timezone.localtime(datetime.fromtimestamp(entry["since"], tz=UTC))
        sentences.append(
            _("%(name)s is editing this article since %(time)s.")
            % {"name": entry["name"], "time": formats.time_format(since, "H:i")}
        )
    return sentences


class EditingPresenceMixin:
    """For ``ArticleAdmin``: records who has an article open and tells the others."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = dict(extra_context or {})
        if object_id and str(object_id).isdigit() and request.method == "GET":
            mark(int(object_id), request.user)
            context["others_editing"] = others(int(object_id), request.user)
            context["presence_heartbeat"] = settings.PORTAL_PRESENCE_HEARTBEAT_SECONDS
        return super().changeform_view(request, object_id, form_url, context)

    def presence_view(self, request, pk):
        """POST: ``{"others": [sentence, …]}``; ``leave=1`` in the body says the form was left."""
        article = self.get_object(request, str(pk))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        mark(pk, request.user, leaving=request.POST.get("leave") == "1")
        return JsonResponse({"others": others(pk, request.user)})

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.presence_view))
        return [path("<int:pk>/presence/", view, name="news_article_presence"), *super().get_urls()]
