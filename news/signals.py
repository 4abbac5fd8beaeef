"""Every receiver of the app, connected by ``connect()`` from ``NewsConfig.ready()``: what a save,
a delete, a login or the end of a request sets off.

- **text cleaned**: every text field of every model of the app loses the characters XML and
  JSON Lines cannot carry before it is stored, whatever saves it (``news.text.clean_text``);
- **search index**: a saved article is indexed in the same transaction (``news/search.py``);
- **content version**: any save or delete of content makes every cached page out of date on
  every instance (``news/pagecache/version.py``), and so does ``migrate``;
- **audit log**: logins, lockouts, publishing and deletions (``news/audit.py``);
- **visits**: pending counts written after each response and at exit (``news/visits.py``);
- **settings changed** (tests): per-process memories of addresses and the share image forgotten;
- **migrate**: SQLite's planner statistics refreshed (``news/db/sqlite.py``).
"""

import atexit
from datetime import UTC

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.signals import request_finished, setting_changed
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from . import addresses, audit, search, seo, visits
from .db.sqlite import analyze_sqlite, restrict_sqlite_file
from .models import Article
from .pagecache.version import CONTENT_APPS, NOT_CONTENT_MODELS, bump_content_version
from .text import clean_text


def clean_text_fields(sender, instance, raw=False, **kwargs):
    """Remove what XML and JSON Lines cannot carry from every text field before it is stored.

    On the way in rather than in each output: a vertical tab in a title once made the feeds
    answer 500. Form fields (the admin), imports and the shell all end in ``save()``. Every model
    of the project's apps (``news`` and the apps nested in it, such as ``news.investment``).
    """
    app = sender._meta.app_config  # None for Django's own unregistered models (the migration recorder)
    if app is None or app.name.split(".")[0] != "news":
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            value = getattr(instance, field.attname)
            cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)


def index_saved_article(sender, instance, raw=False, **kwargs):
    # In the same transaction as the save, so the index never disagrees with the article.
    # Deleting an article deletes its search documents (ON DELETE CASCADE).
    if not raw:
        search.index_article(instance)


def content_changed(sender, action="post", **kwargs):
    """Any save or delete of a content model: a new content version (see news/pagecache/)."""
    if sender._meta.app_label not in CONTENT_APPS or sender._meta.label_lower in NOT_CONTENT_MODELS:
        return
    if not action.startswith("post"):  # m2m_changed also fires before it changes anything
        return
    # Now, for this process and for tests that run inside a transaction, and again once the
    # transaction commits: a request that read the first new version but rendered the old
    # rows would otherwise keep a stale entry under the new version.
    bump_content_version()
    if not transaction.get_autocommit():
        transaction.on_commit(bump_content_version)


def migrated(sender, using="default", **kwargs):
    """New code may render pages differently: an upgrade's ``migrate`` empties the page cache,
    SQLite's planner gets fresh statistics, and its file is made readable by its owner only."""
    bump_content_version()
    analyze_sqlite(using)
    restrict_sqlite_file(using)


# --- the audit log ------------------------------------------------------------------------


def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username", ""))
    audit.event("login.failed", request=request, username=username or "")


def _logged_in(sender, request, user, **kwargs):
    audit.event("login.success", request=request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs):
    audit.event("login.locked_out", request=request, username=username or "")


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
    audit.event(
        name,
        user=getattr(instance, "updated_by", None) if audit.current_request() is None else None,
        article=instance.pk or "new",
        title=instance.title_zh_hans or instance.title_en or "",
        status=instance.status,
        publish_at=instance.publish_at.astimezone(UTC).isoformat() if instance.publish_at else "",
        when_committed=True,
    )


def _deleted(sender, instance, **kwargs):
    label = sender._meta.label_lower
    if sender._meta.app_label not in audit.AUDITED_DELETE_APPS or label in audit.NOT_AUDITED:
        return
    audit.event("delete", model=label, id=instance.pk, object=str(instance)[:200], when_committed=True)


# --- per-process memories -----------------------------------------------------------------


def flush_visits(**kwargs):
    visits.flush()


def forget_remembered_values(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"):
        addresses.forget()
    if setting in ("STATIC_URL", "STORAGES"):
        seo.reset()


def connect():
    """Connect every receiver above (once: each has a ``dispatch_uid``)."""
    from axes.signals import user_locked_out

    pre_save.connect(clean_text_fields, dispatch_uid="news.clean_text_fields")
    post_save.connect(index_saved_article, sender=Article, dispatch_uid="news.search.index_article")
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"news.content_changed.{signal.__class__.__name__}.{id(signal)}")
    post_migrate.connect(migrated, sender=apps.get_app_config("news"), dispatch_uid="news.migrated")
    user_login_failed.connect(_login_failed, dispatch_uid="news.audit.login_failed")
    user_logged_in.connect(_logged_in, dispatch_uid="news.audit.logged_in")
    user_locked_out.connect(_locked_out, dispatch_uid="news.audit.locked_out")
    pre_save.connect(_status_before_save, sender=Article, dispatch_uid="news.audit.status")
    post_delete.connect(_deleted, dispatch_uid="news.audit.delete")
    request_finished.connect(flush_visits, dispatch_uid="news.visits.flush")
    setting_changed.connect(forget_remembered_values, dispatch_uid="news.forget_remembered_values")
    atexit.unregister(visits.flush_at_exit)
    atexit.register(visits.flush_at_exit)
