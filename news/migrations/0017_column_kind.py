"""A column's kind (news, policy, interpretation, notice, annual report) and update cycle. The
demo's and any existing site's columns under the seeded slugs get theirs: 政策法规 ``policies`` holds policy
documents, 通知公告 ``notices`` notices; every other column stays news."""

from django.db import migrations, models

KINDS = {"policies": "policy", "notices": "notice"}


def set_kinds(apps, schema_editor):
    Column = apps.get_model("news", "Column")
    for slug, kind in KINDS.items():
        Column.objects.filter(slug=slug).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0016_article_editor_per_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="column",
            name="kind",
            field=models.CharField(
                choices=[
                    ("news", "News"),
                    ("policy", "Policy documents"),
                    ("interpretation", "Policy interpretations"),
                    ("notice", "Notices"),
                    ("annual_report", "Annual reports"),
                ],
                default="news",
                help_text="Articles in a policy column are government documents with their metadata (index number, issuer…).",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="column",
            name="update_cycle_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The column is late when nothing new has been published for this many days. Empty: 14 days for news, 180 for the other kinds.",
                null=True,
                verbose_name="update cycle (days)",
            ),
        ),
        migrations.RunPython(set_kinds, migrations.RunPython.noop),
    ]
