"""The staff roles: the groups created by migration ``news/0006_workflow_groups``, chosen whole.

Group names stay as stored (scripts and operators use them); ``role_label`` gives the name in the
admin's language. A role is the only way a non-superuser hands out permissions: raw permissions
and superuser status are given by superusers alone (``manage.py ensure_admin`` or ``createsuperuser``).

Separation of duties (三员分立, as GB/T 22239-2019 level 3 asks of government systems), as far
as the roles go: the *Site administrator* (系统管理员) manages accounts and the site's structure
but neither writes nor publishes; content is the *Editor*'s and *Senior editor*'s; the audit log
(security auditor, 安全审计员) is the ``portal.audit`` log on the server, read by whoever the
operator gives access to it, not an admin page. A non-superuser never changes their own roles,
never sees or changes a superuser's account.
"""

from django.apps import apps
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Stored name → label in the admin's language, in the order the admin lists them.
ROLES = {
    "Editor": pgettext_lazy("staff role", "Editor"),
    "Senior editor": pgettext_lazy("staff role", "Senior editor"),
    "Site administrator": pgettext_lazy("staff role", "Site administrator"),
    # Made by news/investment/migrations/0002: answers the enquiries of the desks they belong to.
    "Enquiry officer": pgettext_lazy("staff role", "Enquiry officer"),
}


def role_label(name):
    """The label of the group named ``name`` in the current language (the stored name if it is no role)."""
    return ROLES.get(name, name)


_DEFAULT_PERMISSIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission):
    """A permission as a superuser reads it in the admin's language: "新闻 | 文章 | 可以添加文章"
    rather than the English name stored when it was created ("news | article | Can add article").
    Django's four default permissions are said from the model's name; others (``Meta.permissions``,
    written with gettext) through the catalogue, else as stored."""
    content_type = permission.content_type
    model = content_type.model_class()
    model_name = model._meta.verbose_name if model else content_type.model
    action, _separator, model_part = permission.codename.partition("_")
    if action in _DEFAULT_PERMISSIONS and model is not None and model_part == model._meta.model_name:
        text = _DEFAULT_PERMISSIONS[action] % {"model": model_name}
    else:
        text = gettext(permission.name)
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        app = content_type.app_label
    return f"{app} | {model_name} | {text}"
