"""Who may move an article where: draft → in review → published → archived.

Editors write drafts and submit them for review. Only holders of the
``news.publish_article`` permission (senior editors) publish, schedule, unpublish
and archive. The rules are checked on the server, in the admin form and its actions,
so a hand-made request gets the same answer as the buttons.
"""

from copy import copy

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import Article
from .revisions import as_comment, step_entry

PUBLISH_PERMISSION = "news.publish_article"
Status = Article.Status

# What an editor without the publish permission may set, and may still change.
EDITOR_STATUSES = (Status.DRAFT, Status.REVIEW)

# The buttons on the change form: (value, label, status it sets, needs the publish permission).
TRANSITIONS = {
    "draft": (_("Back to draft"), Status.DRAFT, False),
    "review": (_("Submit for review"), Status.REVIEW, False),
    "publish": (_("Publish"), Status.PUBLISHED, True),
    "unpublish": (_("Unpublish (back to draft)"), Status.DRAFT, True),
    "archive": (_("Archive"), Status.ARCHIVED, True),
}

# Which steps lead on from each status.
NEXT_STEPS = {
    Status.DRAFT: ("review", "publish"),
    Status.REVIEW: ("draft", "publish"),
    Status.PUBLISHED: ("unpublish", "archive"),
    Status.ARCHIVED: ("draft", "publish"),
}


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def allowed_statuses(user):
    return list(Status) if can_publish(user) else list(EDITOR_STATUSES)


def can_edit(user, article):
    """Editors may change drafts and articles in review; published or archived ones belong to senior editors."""
    return can_publish(user) or article is None or article.status in EDITOR_STATUSES


def transitions_for(user, article):
    """The workflow buttons ``user`` sees on ``article``'s form (``None`` for a new one)."""
    status = article.status if article else Status.DRAFT
    return [
        (value, TRANSITIONS[value][0], TRANSITIONS[value][1])
        for value in NEXT_STEPS[status]
        if can_publish(user) or not TRANSITIONS[value][2]
    ]


def check_step(user, article, button):
    """Raise ``PermissionDenied`` or ``ValidationError`` unless ``user`` may take ``button`` on ``article``."""
    if button not in TRANSITIONS:
        raise ValidationError(_("Unknown workflow step."), code="workflow")
    if (TRANSITIONS[button][2] and not can_publish(user)) or not can_edit(user, article):
        audit.event("permission.denied", user=user, step=button, article=getattr(article, "pk", None) or "new")
        raise PermissionDenied(_("Only a senior editor can publish, schedule, unpublish or archive an article."))
    status = article.status if article and article.pk else Status.DRAFT
    if button not in NEXT_STEPS[status]:
        raise ValidationError(
            _("“%(step)s” does not apply to an article that is “%(status)s”."),
            code="workflow",
            params={"step": TRANSITIONS[button][0], "status": Status(status).label},
        )


def publish_time(article, publish_at, *, typed=False, as_of_now=False, now=None):
    """The publish time (an aware datetime) when ``article`` is published with ``publish_at``.

    A future time is kept (a schedule); so is a past time the editor typed (``typed``) and the
    time of an article published before (published again, it keeps the date readers knew and
    does not reappear as new in lists and feeds). A first publication at the time the draft was
    begun, or an explicit ``as_of_now`` (the form's "publish as of now"), becomes now.
    """
    now = now or timezone.now()
    if as_of_now:
        return now
    if publish_at and (publish_at > now or typed or article.first_published_at):
        return publish_at
    return now


def document_faults(article, column=None):
    """The messages that keep ``article`` from being published as a policy document (its column,
    or ``column`` it is being moved to, is of kind policy and its metadata is missing or
    incomplete: ``news.policies.models.publish_faults``); empty for every other article."""
    from .policies.models import publish_faults

    if column is not None and column != getattr(article, "column", None):
        article = copy(article)
        article.column = column
    return list(publish_faults(article).values())


def is_scheduled(article, now=None):
    now = now or timezone.now()
    return article.status == Status.PUBLISHED and article.publish_at > now


def apply(article, button, user):
    """Move ``article`` with the workflow button ``button`` on behalf of ``user``, keeping a version.

    Raises ``PermissionDenied`` when the user may not, ``ValidationError`` when the
    article is not ready (for example publishing without a complete language).
    """
    check_step(user, article, button)
    _label, target, _needs_publish = TRANSITIONS[button]
    status_before = article.status
    if target == Status.PUBLISHED:
        article.publish_at = publish_time(article, article.publish_at)
    article.status = target
    article.full_clean()
    if target == Status.PUBLISHED and (faults := document_faults(article)):
        raise ValidationError(faults, code="document_metadata")
    article.updated_by = user
    with transaction.atomic(), reversion.create_revision():
        # Any model with this workflow (articles, projects) and a lock_version.
        current = (
            type(article)
            ._default_manager.select_for_update()
            .filter(pk=article.pk)
            .values_list("lock_version", flat=True)
        )
        article.lock_version = (current.first() or 0) + 1
        article.save()
        reversion.set_user(user)
        reversion.set_comment(as_comment([step_entry(button, status_before, article)]))
