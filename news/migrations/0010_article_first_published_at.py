"""Articles remember when they were first published, so that publishing one again keeps its date.

Articles published or archived now were published at their publish time. A draft whose history
(django-reversion) holds a published version was published too: at that version's publish time.
"""

import json

from django.db import migrations
from django.db.models import F

import news.fields


def fill(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Article.objects.filter(status__in=["published", "archived"]).update(first_published_at=F("publish_at"))
    try:
        Version = apps.get_model("reversion", "Version")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    article_type = ContentType.objects.filter(app_label="news", model="article").first()
    if article_type is None:
        return
    drafts = set(Article.objects.filter(first_published_at=None).values_list("pk", flat=True))
    first = {}
    versions = Version.objects.filter(content_type=article_type, serialized_data__contains='"published"')
    for object_id, data in versions.values_list("object_id", "serialized_data").iterator():
        if not object_id.isdigit() or int(object_id) not in drafts:
            continue
        fields = json.loads(data)[0]["fields"]
        if fields.get("status") == "published" and fields.get("publish_at"):
            first[int(object_id)] = min(first.get(int(object_id), fields["publish_at"]), fields["publish_at"])
    for pk, when in first.items():
        Article.objects.filter(pk=pk).update(first_published_at=when)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0009_site_settings_require_two_factor"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="first_published_at",
            field=news.fields.FirstPublishedField(
                blank=True, editable=False, null=True, verbose_name="first published at"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
