"""A project page's queries, prepared once per process (``news/db/prepared.py``), as the article
page's are (``news/queries.py``): building them with the ORM on every request cost more than
running them and rendering the page together.

Each is a ``PreparedQuery`` (``PreparedRows`` for ``values_list()`` rows) whose ``build`` is a plain
queryset; with ``PORTAL_PREPARED_QUERIES = "plain"`` they run as those querysets.
"""

from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Window

from ..db.prepared import PreparedQuery, PreparedRows
from ..i18n import all_columns_of
from ..models import Article
from .filters import SORTS
from .models import CooperationMode, DevelopmentZone, Project, ProjectAttachment, Sector

# What a project page shows of its zone: the name, the address, whether its page is on the site.
# The rest (every prose section in every language) is left in the database.
ZONE_SHOWN = {"id", "slug", "status", "publish_at", "unpublish_at", *all_columns_of("name")}
ZONE_DEFERRED = tuple(
    f"zone__{field.attname}" for field in DevelopmentZone._meta.concrete_fields if field.attname not in ZONE_SHOWN
)
RELATED_ARTICLES = 10

# The project on the site with this code, its region, desk and zone, and whether it has
# attachments: most have none, and then the page runs no query for them.
project_on_site = PreparedQuery(
    lambda code, now: (
        Project.objects.on_site(now)
        .select_related("region", "desk", "zone")
        .defer(*ZONE_DEFERRED)
        .annotate(has_attachments=Exists(ProjectAttachment.objects.filter(project_id=OuterRef("pk"))))
        .filter(code=code)
    ),
    code=str,
    now=datetime,
)
project_sectors = PreparedQuery(lambda project: Sector.objects.filter(projects=project), project=int)
project_cooperation_modes = PreparedQuery(lambda project: CooperationMode.objects.filter(projects=project), project=int)
project_attachments = PreparedQuery(lambda project: ProjectAttachment.objects.filter(project=project), project=int)
# The news linked to a project, as ``ArticleLink`` rows (what the list under a page shows).
project_articles = PreparedRows(
    lambda project, now: (
        Article.objects.links().public(now=now).filter(projects=project).order_by("-publish_at")[:RELATED_ARTICLES]
    ),
    project=int,
    now=datetime,
)

LIST_PER_PAGE = 20

# The first page of the project list as most readers open it (no filter, newest first, open and
# negotiating projects): its rows' (id, updated_at) with the count (news/investment/views/projects.py,
# ``counted_page``). Other pages and filters build their query with the ORM.
first_listed_projects = PreparedRows(
    lambda now, today: (
        Project.objects.public(now=now, today=today)
        .filter(deal_status__in=Project.SEEKING)
        .order_by(*SORTS["newest"])
        .annotate(listed=Window(Count("pk")))
        .rewrite(False)  # modeltranslation's own values_list() rows are not prepared
        .values_list("pk", "updated_at", "listed")[:LIST_PER_PAGE]
    ),
    now=datetime,
    today=date,
)
