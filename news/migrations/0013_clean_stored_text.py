"""Text stored before news.text.clean_text ran on every save loses what XML and JSON Lines cannot
carry, as if it had been saved again: every text field of every model of the app."""

import re

from django.db import migrations, models

# A copy of news.text.clean_text as of this migration (migrations do not import code that may change).
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
UNCARRIABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
SINGLE_LINE_BREAK = re.compile(f"[{LINE_BREAKS}\t\n\r]")


def _clean(value, multiline):
    if not isinstance(value, str) or not value:
        return value
    value = UNCARRIABLE.sub("", value)
    return (LINE_BREAK if multiline else SINGLE_LINE_BREAK).sub("\n" if multiline else " ", value)


def clean_stored_text(apps, schema_editor):
    for model in apps.get_app_config("news").get_models():
        fields = {
            field.attname: isinstance(field, models.TextField)
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        }
        if not fields:
            continue
        rows = model._base_manager.order_by("pk").values_list("pk", *fields).iterator(chunk_size=1000)
        for pk, *values in rows:
            changed = {
                name: cleaned
                for (name, multiline), value in zip(fields.items(), values, strict=True)
                if (cleaned := _clean(value, multiline)) != value
            }
            if changed:
                model._base_manager.filter(pk=pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("news", "0012_article_author_per_language")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True)]
