from django.core.management.base import BaseCommand, CommandError

from news.models import Article
from news.operations import backup


class Command(BaseCommand):
    help = (
        "Rebuild an installation from a backup archive: checks every checksum first, then loads the "
        "database and writes the media files back. Refuses a site that already has articles unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="replace the content of a site that has articles")

    def handle(self, file, force=False, **options):
        if not force and Article.objects.exists():
            raise CommandError("This site already has articles; restoring would replace them. Use --force to do so.")
        try:
            manifest = backup.restore(file)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Restore failed, nothing was changed: {error}") from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(self.style.SUCCESS(f"Restored the database and {media} media files from {file}."))
        if not manifest["cache_updated"]:
            self.stderr.write(
                "The shared cache could not be reached: pages of the replaced content stay public until "
                "each process finds the new content version in the database, seconds after the cache is back."
            )
