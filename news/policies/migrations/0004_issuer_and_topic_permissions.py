"""The policy documents' share of the staff groups.

Editor and senior editor: choose a document's issuers and topic (the metadata form's
autocomplete asks the Issuer and TopicCategory admins, which answer only those who may view
them: without this, no one below superuser could fill the metadata that publishing requires).
Site administrator: keeps the issuers and the topic list (reference data). The metadata and
relations themselves follow the article's permissions (news/policies/admin.py). Running it
again adds what is missing and removes nothing (as news 0006).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = ["policies.view_issuer", "policies.view_topiccategory"]
SITE_ADMINISTRATOR = [
    *(f"policies.{action}_issuer" for action in ("add", "change", "delete", "view")),
    *(f"policies.{action}_topiccategory" for action in ("add", "change", "delete", "view")),
]
GROUPS = {"Editor": EDITOR, "Senior editor": EDITOR, "Site administrator": SITE_ADMINISTRATOR}


def grant(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0003_relations"),
        ("news", "0006_workflow_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
