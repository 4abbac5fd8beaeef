"""Batch work on admin lists: the page an action shows before it acts (``confirmation_page``), and
moving the chosen articles to another column (批量移动栏目)."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import workflow
from ..models import Article, Column
from ..revisions import as_comment


def confirmation_page(modeladmin, request, chosen, template, *, title, form, action, **context):
    """The ``TemplateResponse`` an admin action answers before it acts: ``template`` (extending
    ``admin/action_confirmation.html``) with the ``chosen`` objects (sent back as the action's
    checkboxes), ``form`` and its media, for the action named ``action``; ``context`` adds to it."""
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "media": modeladmin.media + form.media,
            "chosen": chosen,
            "opts": modeladmin.model._meta,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


class MoveForm(forms.Form):
    column = forms.ModelChoiceField(queryset=Column.objects.all(), label=_("Move to the column"))


@admin.action(description=_("Move to another column…"), permissions=["change"])
def move_to_column(modeladmin, request, queryset):
    """First a page to choose the column; then every chosen article the person may change is moved,
    each with a version in its history ("Changed column."); the others are named and left alone."""
    form = MoveForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return confirmation_page(
            modeladmin,
            request,
            queryset.select_related("column"),
            "admin/news/article/move_to_column.html",
            title=_("Move to another column"),
            form=form,
            action="move_to_column",
        )
    column = form.cleaned_data["column"]
    moved, refused, unfit = 0, [], []
    for article in queryset.select_related("column"):
        if not workflow.can_edit(request.user, article):
            refused.append(str(article))
            continue
        if article.column_id == column.pk:
            continue
        if article.status == Article.Status.PUBLISHED and (faults := workflow.document_faults(article, column=column)):
            # A published article must meet the new column's rules (a policy column's metadata),
            # as publishing it there would: the move is refused, never a policy page without them.
            unfit.append(f"{article} ({' '.join(str(fault) for fault in faults)})")
            continue
        with transaction.atomic(), reversion.create_revision():
            current = Article.objects.select_for_update().filter(pk=article.pk).values_list("lock_version", flat=True)
            # A form opened before the move is then refused as an edit conflict, as after any save.
            article.lock_version = (current.first() or 0) + 1
            article.column = column
            article.updated_by = request.user
            article.save()  # the search index and the page cache follow
            changed = ["column"]
            if article.further_columns.filter(pk=column.pk).exists():
                # The new primary column lists the article already; it is no longer a further one.
                article.further_columns.remove(column)
                changed.append("further_columns")
            reversion.set_user(request.user)
            reversion.set_comment(as_comment([{"changed": {"fields": changed}}]))
        moved += 1
    modeladmin.message_user(
        request, _("%(count)s article(s) moved to “%(column)s”.") % {"count": moved, "column": column}
    )
    if refused:
        modeladmin.message_user(
            request,
            _("Not moved (only a senior editor changes published or archived articles): %(articles)s")
            % {"articles": "; ".join(refused)},
            messages.WARNING,
        )
    if unfit:
        modeladmin.message_user(
            request,
            _("Not moved (published, and lacking what the column requires): %(articles)s")
            % {"articles": "; ".join(unfit)},
            messages.WARNING,
        )
    return None
