from django.core.management.base import BaseCommand

from news import demo


class Command(BaseCommand):
    help = "Create the demo columns, articles, pages and settings that are missing. Safe to run again."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
