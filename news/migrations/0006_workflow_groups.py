"""The staff groups, each with the least permissions that work (news/workflow.py).

Editor: writes drafts and submits them for review; uploads pictures and attachments.
Senior editor: an editor who also publishes, schedules, unpublishes, archives and deletes.
Site administrator: columns, regions, tags, pages, footer settings and staff accounts;
reads articles but does not publish them.

Running the migration again (or after an upgrade) adds missing permissions and never
removes what an administrator granted by hand.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.view_column",
    "news.view_region",
    "news.add_tag",
    "news.view_tag",
    "news.add_image",
    "news.change_image",
    "news.view_image",
    "news.add_attachment",
    "news.change_attachment",
    "news.delete_attachment",
    "news.view_attachment",
]
SENIOR_EDITOR = [
    *EDITOR,
    "news.publish_article",
    "news.delete_article",
    "news.change_tag",
    "news.delete_image",
]
SITE_ADMINISTRATOR = [
    *(f"news.{action}_{model}" for model in ("column", "region", "tag", "page") for action in ("add", "change", "delete", "view")),
    "news.change_sitesettings",
    "news.view_sitesettings",
    "news.view_dailyvisits",
    "news.view_article",
    "news.view_image",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
]
GROUPS = {"Editor": EDITOR, "Senior editor": SENIOR_EDITOR, "Site administrator": SITE_ADMINISTRATOR}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0005_article_locking_attachments_picture_library"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
