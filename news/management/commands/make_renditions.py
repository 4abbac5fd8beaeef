from django.apps import apps
from django.core.management.base import BaseCommand

from news.fields import ProcessedImageField
from news.uploads.renditions import make_renditions


def processed_image_fields():
    """``(model, field name)`` of every ``ProcessedImageField`` of every installed model."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ProcessedImageField):
                yield model, field.name


class Command(BaseCommand):
    help = (
        "Write the resized copies and WebP versions of every stored picture (article, project and zone covers, "
        "zone pictures and maps, library pictures). New uploads get them when saved; run this once after "
        "upgrading, or after restoring media from a backup without them."
    )

    def handle(self, **options):
        count = 0
        for model, name in processed_image_fields():
            for obj in model._default_manager.exclude(**{name: ""}).only(name).iterator():
                make_renditions(getattr(obj, name))
                count += 1
        self.stdout.write(f"Renditions written for {count} pictures.")
