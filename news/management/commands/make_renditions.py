from django.core.management.base import BaseCommand

from news.models import Article, Image
from news.uploads.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Write the resized copies and WebP versions of every cover and library picture. New uploads get "
        "them when saved; run this once after upgrading, or after restoring media from a backup without them."
    )

    def handle(self, **options):
        count = 0
        for article in Article.objects.exclude(cover_image="").only("cover_image").iterator():
            make_renditions(article.cover_image)
            count += 1
        for image in Image.objects.only("file").iterator():
            make_renditions(image.file)
            count += 1
        self.stdout.write(f"Renditions written for {count} pictures.")
