from django.core.management.base import BaseCommand

from news import demo
from news.db.sqlite import analyze_sqlite


class Command(BaseCommand):
    help = "Create the demo columns, articles, pages and settings that are missing. Safe to run again."

    def handle(self, *args, **options):
        if demo.load(stdout=self.stdout):
            analyze_sqlite()
