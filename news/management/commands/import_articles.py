from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from news.db.sqlite import analyze_sqlite
from news.transfer import import_lines, read_lines


class Command(BaseCommand):
    # What one line is, and how it is imported (the project and zone commands change these).
    noun = "articles"
    record_importer = None
    help = (
        "Import bilingual articles from a JSON Lines file (fields in README.md). Importing the same "
        "file again updates the articles, keyed by external_id or legacy_url."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .jsonl file; image and attachment paths are relative to its folder")
        parser.add_argument("--dry-run", action="store_true", help="check every record and save nothing")

    @no_translations  # the report is for the operator, in English like the command's own messages
    def handle(self, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        lines = read_lines(path)
        total = len(lines)
        show_progress = options["verbosity"] >= 1

        def progress(number):
            if show_progress and (number == total or number % 10 == 0):
                done = number * 30 // max(total, 1)
                self.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {number}/{total}", ending="")
                self.stderr.flush()

        report = import_lines(
            lines, path.parent, dry_run=dry_run, progress=progress, record_importer=self.record_importer
        )
        counts, rejected = report.counts, report.rejected
        if not dry_run:
            analyze_sqlite()
        if show_progress and total:
            self.stderr.write("")
        for number, warning in report.warnings:
            self.stderr.write(f"line {number}: warning: {warning}")
        for number, reason in rejected:
            self.stderr.write(f"line {number}: rejected: {reason}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{counts['created']} {self.noun} {verb} created, {counts['updated']} {verb} updated, "
            f"{len(rejected)} records rejected{' (dry run: nothing saved)' if dry_run else ''}."
        )
        if rejected:
            raise CommandError(f"{len(rejected)} records rejected; see the lines above.")
