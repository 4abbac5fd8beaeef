"""Projects remember when they were first published, as articles do (news 0010): publishing one
again through the workflow keeps its date. Projects published or archived now were first
published at their publish time."""

from django.db import migrations
from django.db.models import F

import news.fields


def fill(apps, schema_editor):
    Project = apps.get_model("investment", "Project")
    Project.objects.filter(status__in=["published", "archived"]).update(first_published_at=F("publish_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0008_service_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="first_published_at",
            field=news.fields.FirstPublishedField(
                blank=True, editable=False, null=True, verbose_name="first published at"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
