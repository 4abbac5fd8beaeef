from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from news.operations import backup


class Command(BaseCommand):
    help = "Write one archive with the database and every media file, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the archive to write (default: portal-backup-<time>.tar.gz)")

    def handle(self, file=None, **options):
        path = file or f"portal-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = backup.create(path)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {path}: the {manifest['database']} database and {media} media files.")
        )
