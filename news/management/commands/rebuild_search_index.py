from django.core.management.base import BaseCommand

from news import search
from news.db.sqlite import analyze_sqlite
from news.investment import search as service_search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every article (with a progress bar), project and zone."

    def handle(self, *args, **options):
        count = search.rebuild(stream=self.stdout if options["verbosity"] else None)
        services = service_search.rebuild()
        analyze_sqlite()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} articles and {services} projects and zones."))
