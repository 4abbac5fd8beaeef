"""The Enquiry officer group (咨询受理员), and the investor services' share of the Site administrator's.

Enquiry officer: sees and works the enquiries of the desks they are a member of (the admin
narrows the list to them; ``view_all_enquiries`` lifts that), and may export them.
Site administrator: the reference data (sectors, desks, the working-day calendar) and every
desk's enquiries. Like news 0006, running it again adds what is missing and removes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ENQUIRY_OFFICER = [
    "investment.view_enquiry",
    "investment.change_enquiry",
    "investment.export_enquiry",
    "investment.view_enquirydesk",
    "investment.view_sector",
    "investment.view_workingday",
]
SITE_ADMINISTRATOR = [
    *(
        f"investment.{action}_{model}"
        for model in ("sector", "enquirydesk", "workingday")
        for action in ("add", "change", "delete", "view")
    ),
    "investment.view_enquiry",
    "investment.change_enquiry",
    "investment.export_enquiry",
    "investment.view_all_enquiries",
]
GROUPS = {"Enquiry officer": ENQUIRY_OFFICER, "Site administrator": SITE_ADMINISTRATOR}


def create_groups(apps, schema_editor):
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
    apps.get_model("auth", "Group").objects.filter(name="Enquiry officer").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0001_initial"),
        ("news", "0006_workflow_groups"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
