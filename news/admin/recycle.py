"""The recycle bin (回收站) of the article editor: deleted articles by title, who deleted them and
when, restored in one click. Recovering a deletion is a senior editor's task (README, roles), as
deleting is."""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from .. import revisions, workflow
from ..models import Article, ArticleDailyReads, SearchDocument


class RecycleBinMixin:
    """For ``ArticleAdmin``: the recover pages of django-reversion, renamed and limited to publishers."""

    change_list_template = "admin/news/article/change_list.html"

    def can_recover(self, request):
        return workflow.can_publish(request.user) and self.has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        context = {"can_recover": self.can_recover(request), **(extra_context or {})}
        # Past django-reversion's wrapper: its revision block around the whole list would hold
        # back the snapshot ``delete_queryset`` takes until the articles are gone, and reversion
        # drops versions of rows that no longer exist. The list's actions keep their own versions.
        return super(VersionAdmin, self).changelist_view(request, context)

    def _snapshot(self, request, article):
        """A version of ``article`` as it is, saved now, so the recycle bin can bring it back even
        when it was never saved in the admin (imported, made by the demo)."""
        with reversion.create_revision():
            reversion.add_to_revision(article)
            reversion.set_user(request.user)
            reversion.set_comment(revisions.as_comment([{"workflow": {"step": "delete"}}]))

    def get_deleted_objects(self, objs, request):
        """What the delete page lists, without the article's search-index rows and read counts:
        bookkeeping staff never see elsewhere (it listed "Search documents: 12/zh-hans")."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        hidden = (SearchDocument, ArticleDailyReads)
        prefixes = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in hidden)

        def shown(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    item = shown(item)
                    if item:
                        kept.append(item)
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return kept

        names = {str(model._meta.verbose_name_plural) for model in hidden}
        counts = {name: count for name, count in counts.items() if str(name) not in names}
        return shown(deleted), counts, perms_needed, protected

    def delete_model(self, request, obj):
        self._snapshot(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self._snapshot(request, article)
        super().delete_queryset(request, queryset)

    def recoverlist_view(self, request, extra_context=None):
        if not self.can_recover(request):
            raise PermissionDenied
        return super().recoverlist_view(request, {"title": _("Recycle bin"), **(extra_context or {})})

    def recover_view(self, request, version_id, extra_context=None):
        if not self.can_recover(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def restore_deleted_view(self, request, version_id):
        """POST: put the deleted article of ``version_id`` back, with its attachments, as it was."""
        if not self.can_recover(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        with transaction.atomic(), reversion.create_revision():
            version.revision.revert(delete=False)
            # A normal save after the raw one, so the search index and the page cache follow.
            article = Article.objects.get(pk=version.object_id)
            article.updated_by = request.user
            article.lock_version += 1
            article.save()
            reversion.set_user(request.user)
            reversion.set_comment(revisions.as_comment([{"workflow": {"step": "undelete"}}]))
        self.message_user(
            request, _("“%(article)s” is back from the recycle bin.") % {"article": article}, messages.SUCCESS
        )
        return redirect("admin:news_article_change", article.pk)

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.restore_deleted_view))
        return [
            path("recover/<int:version_id>/restore/", view, name="news_article_restore_deleted"),
            *super().get_urls(),
        ]
