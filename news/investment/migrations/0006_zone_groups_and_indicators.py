"""The zone directory's share of the staff groups, and the standard indicators (主要指标, spec 3).

Site administrator: creates, renames, re-levels and deletes zones, and keeps the indicators
(reference data). Editor and senior editor: edit a zone's prose, figures and pictures (the admin
keeps name, slug and level read-only for them); publishing is ``news.publish_article`` as for
articles. Running it again adds what is missing and removes nothing (as news 0006).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "investment.change_developmentzone",
    "investment.view_developmentzone",
    *(f"investment.{action}_zonefigure" for action in ("add", "change", "delete", "view")),
    *(f"investment.{action}_zonepicture" for action in ("add", "change", "delete", "view")),
    "investment.view_indicator",
]
SITE_ADMINISTRATOR = [
    *(f"investment.{action}_developmentzone" for action in ("add", "change", "delete", "view")),
    *(f"investment.{action}_indicator" for action in ("add", "change", "delete", "view")),
    *(f"investment.{action}_zonefigure" for action in ("add", "change", "delete", "view")),
    *(f"investment.{action}_zonepicture" for action in ("add", "change", "delete", "view")),
]
GROUPS = {"Editor": EDITOR, "Senior editor": EDITOR, "Site administrator": SITE_ADMINISTRATOR}

# slug, 中文 name, English name, 中文 unit, English unit (spec 3, ZoneFigure)
INDICATORS = [
    ("gdp", "地区生产总值", "GDP", "亿元", "CNY 100 million"),
    ("industrial-output", "规上工业总产值", "Industrial output above designated size", "亿元", "CNY 100 million"),
    ("fixed-asset-investment", "固定资产投资", "Fixed-asset investment", "亿元", "CNY 100 million"),
    ("fdi", "实际使用外资", "FDI in actual use", "亿美元", "USD 100 million"),
    ("enterprises", "企业数", "Enterprises", "家", ""),
    ("foreign-enterprises", "外资企业数", "Foreign-invested enterprises", "家", ""),
    ("fortune-500", "世界500强企业数", "Fortune Global 500 companies present", "家", ""),
    ("employees", "从业人员", "Employees", "万人", "10,000 people"),
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
    Indicator = apps.get_model("investment", "Indicator")
    for order, (slug, zh, en, unit_zh, unit_en) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            slug=slug,
            defaults={
                "name": zh,
                "name_zh_hans": zh,
                "name_en": en,
                "unit": unit_zh,
                "unit_zh_hans": unit_zh,
                "unit_en": unit_en,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0005_zones"),
        ("news", "0006_workflow_groups"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
