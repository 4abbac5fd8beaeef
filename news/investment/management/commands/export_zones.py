from django.core.management.base import BaseCommand

from ...transfer import export_zones


class Command(BaseCommand):
    help = "Export every zone to a JSON Lines file in the format import_zones reads; files go into <name>_files/."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file to write")

    def handle(self, file, **options):
        count = export_zones(file)
        self.stdout.write(f"{count} zones exported to {file}.")
