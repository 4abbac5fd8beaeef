from news.management.commands import import_articles

from ...transfer import import_zone


class Command(import_articles.Command):
    noun = "zones"
    record_importer = staticmethod(import_zone)
    help = (
        "Import zones from a JSON Lines file (fields in README.md, 'Moving content in and out'). Importing "
        "the same file again updates them, keyed by external_id."
    )
