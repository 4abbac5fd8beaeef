from news.management.commands import import_articles

from ...transfer import import_project


class Command(import_articles.Command):
    noun = "projects"
    record_importer = staticmethod(import_project)
    help = (
        "Import projects from a JSON Lines file (fields in README.md, 'Moving content in and out'). Importing "
        "the same file again updates them, keyed by external_id."
    )
