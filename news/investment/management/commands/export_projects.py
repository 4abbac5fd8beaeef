from django.core.management.base import BaseCommand

from ...transfer import export_projects


class Command(BaseCommand):
    help = "Export every project to a JSON Lines file in the format import_projects reads; files go into <name>_files/."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file to write")

    def handle(self, file, **options):
        count = export_projects(file)
        self.stdout.write(f"{count} projects exported to {file}.")
