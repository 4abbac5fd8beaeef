"""The byline per language: the one typed so far goes to the Chinese page, and to the English page
too when it is written in Latin letters (``Li Ming``), never a Chinese name (李雪晴) shown to English readers."""

import re

from django.db import migrations, models

# CJK ideographs, kana and hangul: a byline holding any is not shown on the English page.
EAST_ASIAN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def split_bylines(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Article.objects.exclude(author="").update(author_zh_hans=models.F("author"))
    latin = Article.objects.exclude(author="").values_list("pk", "author").iterator(chunk_size=2000)
    for pk, author in latin:
        if not EAST_ASIAN.search(author):
            Article.objects.filter(pk=pk).update(author_en=author)


class Migration(migrations.Migration):
    dependencies = [("news", "0011_legacy_url_one_spelling")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="author_en",
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name="author"),
        ),
        migrations.AddField(
            model_name="article",
            name="author_zh_hans",
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name="author"),
        ),
        migrations.RunPython(split_bylines, migrations.RunPython.noop, elidable=True),
    ]
