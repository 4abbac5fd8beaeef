"""The project library's share of the staff groups, and the standard cooperation modes (合作方式).

Editor: writes and changes projects (drafts and projects in review) and their attachments.
Senior editor: also publishes, deletes and confirms them (publishing is ``news.publish_article``,
the one workflow permission). Site administrator: the cooperation modes (reference data) and reads
projects. Running it again adds what is missing and removes nothing (as news 0006).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "investment.add_project",
    "investment.change_project",
    "investment.view_project",
    "investment.add_projectattachment",
    "investment.change_projectattachment",
    "investment.delete_projectattachment",
    "investment.view_projectattachment",
    "investment.view_cooperationmode",
    "investment.view_sector",
    "investment.view_enquirydesk",
]
SENIOR_EDITOR = [*EDITOR, "investment.delete_project"]
SITE_ADMINISTRATOR = [
    *(f"investment.{action}_cooperationmode" for action in ("add", "change", "delete", "view")),
    "investment.view_project",
]
GROUPS = {"Editor": EDITOR, "Senior editor": SENIOR_EDITOR, "Site administrator": SITE_ADMINISTRATOR}

# slug, 中文, English (spec 1, CooperationMode)
MODES = [
    ("wfoe", "独资", "Wholly foreign-owned"),
    ("equity-jv", "合资", "Equity joint venture"),
    ("contractual-jv", "合作", "Contractual joint venture"),
    ("equity-investment", "股权投资", "Equity investment"),
    ("merger-acquisition", "并购", "Merger or acquisition"),
    ("ppp", "特许经营/PPP", "Concession or PPP"),
    ("technology", "技术合作", "Technology partnership"),
    ("other", "其他", "Other"),
]


def create(apps, schema_editor):
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
    CooperationMode = apps.get_model("investment", "CooperationMode")
    for order, (slug, zh, en) in enumerate(MODES):
        CooperationMode.objects.get_or_create(
            slug=slug, defaults={"name": zh, "name_zh_hans": zh, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0003_projects"),
        ("news", "0006_workflow_groups"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
