from django.core.management.base import BaseCommand

from news.transfer import export_articles


class Command(BaseCommand):
    help = (
        "Export every article to a JSON Lines file in the format import_articles reads; "
        "covers and attachments are copied into <name>_files/ beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file to write")

    def handle(self, file, **options):
        count = export_articles(file)
        self.stdout.write(f"{count} articles exported to {file}.")
