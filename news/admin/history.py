"""The article editor's history: what each save, step and restore records (language-neutral,
put into words in the reader's admin language by ``news.revisions``), the success messages that
say what happened, restoring a version without touching the publication state, and comparing two
versions."""

from contextlib import contextmanager

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .. import revisions
from ..models import Article

# What restoring an old version leaves as it is now.
PUBLICATION_FIELDS = ("status", "publish_at", "unpublish_at", "first_published_at")


# Titles may be 255 characters; a message quotes the first 60 (the page below shows the whole).
QUOTED_TITLE_LENGTH = 60


def _quoted_title(title):
    return Truncator(title).chars(QUOTED_TITLE_LENGTH)


class VersionCompareMixin:
    """The history page with two versions to choose, and the page that compares them, for any
    versioned model admin (articles, projects, zones); before ``VersionAdmin`` in the bases.
    The admin names the compare view ``<app>_<model>_compare`` (``compare_url``)."""

    object_history_template = "admin/news/article/object_history.html"

    def compare_url(self):
        view = self.admin_site.admin_view
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_compare"
        return path("<int:pk>/history/compare/", view(self.compare_view), name=name)

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(self.model, object_id).select_related("revision__user")
        return super().history_view(request, object_id, {"versions": versions, **(extra_context or {})})

    def compare_view(self, request, pk):
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            chosen = sorted(int(request.GET[key]) for key in ("a", "b"))
        except (KeyError, ValueError):
            raise Http404 from None
        older = get_object_or_404(versions, pk=chosen[0])
        newer = get_object_or_404(versions, pk=chosen[1])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Compare versions of %(article)s") % {"article": obj},
            "older": older,
            "newer": newer,
            "changes": revisions.compare(older, newer, self.model),
        }
        return TemplateResponse(request, "admin/news/article/compare.html", context)


class ArticleHistoryMixin(VersionCompareMixin):
    """For ``ArticleAdmin`` (between ``SafeSaveAdminMixin`` and ``VersionAdmin``)."""

    # --- history: what each save records, in words the reader's admin language gives ---

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        implied = {"based_on", "publish_as_of_now"}
        if form.data.get("_workflow"):
            # The step says it: "Published", not "Changed status and publish at".
            implied |= {"status", "publish_at"}
        for entry in message:
            if "changed" in entry and "name" not in entry["changed"]:
                fields = [name for name in form.changed_data if name not in implied]
                entry["changed"]["fields"] = fields
        return [entry for entry in message if entry.get("changed", {}).get("fields") != []]

    def _neutral(self, request, entry, message):
        step = getattr(request, "workflow_entry", None)
        message = [step, *message] if step else message
        entry.change_message = revisions.as_comment(message)
        entry.save(update_fields=["change_message"])
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
        return entry

    def log_addition(self, request, obj, message):
        return self._neutral(request, super().log_addition(request, obj, message), message or [{"added": {}}])

    def log_change(self, request, obj, message):
        return self._neutral(request, super().log_change(request, obj, message), message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        step = getattr(request, "workflow_entry", None)
        restored = getattr(request, "restoring_version", None)
        if step and level == messages.SUCCESS:
            message = _("“%(article)s”: %(step)s") % {
                "article": _quoted_title(getattr(request, "workflow_article", "")),
                "step": revisions.sentence(revisions.step_text(step["workflow"])),
            }
        elif restored is not None and request.method == "POST" and level == messages.SUCCESS:
            # Not Django's "…was changed successfully": say which version came back.
            entry = {"step": "restore", "at": restored.revision.date_created.isoformat()}
            message = _("“%(article)s”: %(step)s") % {
                "article": _quoted_title(restored.object_repr),
                "step": revisions.sentence(revisions.step_text(entry)),
            }
        super().message_user(request, message, level, *args, **kwargs)

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            restored = getattr(request, "restoring_version", None)
            if restored is not None and request.method == "POST":
                entry = {"workflow": {"step": "restore", "at": restored.revision.date_created.isoformat()}}
                reversion.set_comment(revisions.as_comment([entry]))

    object_history_template = "admin/news/article/object_history.html"

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting writes the old version (with its old lock number and publication state)
        # before the form is checked. The conflict check must compare with the number the
        # article has now, and restoring brings back content only: the article stays as public
        # (or not) as it is now, so restoring never silently takes a live article off the site.
        request.publication_before_revert = (
            Article.objects.filter(pk=object_id).values("lock_version", *PUBLICATION_FIELDS).first()
        )
        request.lock_version_before_revert = (request.publication_before_revert or {}).get("lock_version")
        request.restoring_version = get_object_or_404(
            Version.objects.get_for_object_reference(Article, object_id), pk=version_id
        )
        if request.method == "GET" and request.publication_before_revert:
            status = Article.Status(request.publication_before_revert["status"]).label
            self.message_user(
                request,
                _(
                    "Saving restores this version's texts and details. The article stays “%(status)s” "
                    "with its current publish times; use the workflow buttons to change that."
                )
                % {"status": status},
                messages.WARNING,
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        current = getattr(request, "publication_before_revert", None)
        if article is not None and current is not None:
            for name, value in current.items():
                setattr(article, name, value)
        return article
