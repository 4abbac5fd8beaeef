"""The benchmark's corpus and query plans; run by bench/run.py inside the throw-away data folder.

    python bench/corpus.py generate N   # N bilingual articles (plus the demo's columns and pages)
    python bench/corpus.py plans        # EXPLAIN of the reader queries, as Markdown

Articles are spread over ten years; half of them are in Investment Dynamics (the real site's
busiest column), one in ten is Chinese only, one in a hundred is featured, a few are
scheduled in the future or withdrawn, one in ten has a cover picture. Bodies are about
4 KB in each language, as long as a typical news item, so that queries which touch them
show it.
"""

import io
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import OuterRef, Q, Subquery  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from PIL import Image  # noqa: E402

from news.investment.models import Project  # noqa: E402
from news.list_queries import column_list  # noqa: E402
from news.models import Article, Column  # noqa: E402
from news.models.querysets import NEWEST_FIRST  # noqa: E402
from news.pagecache.fragments import CARD_FIELDS  # noqa: E402
from news.views.reader import HOME_LATEST_PER_COLUMN, IndexedPaginator  # noqa: E402

BATCH = 2000
COLUMN_WEIGHTS = {"investment-dynamics": 50, "photo-news": 10, "policies": 10, "projects": 10, "notices": 20}

HANZI = (
    "吉林省招商引资项目签约合作投资环境营商优化产业园区新能源汽车现代农业冰雪旅游长春市延边州"
    "政府企业发展经济建设推进会议举行代表团考察调研座谈交流对接服务保障政策落实重点工程开工"
)
WORDS = [
    "Jilin",
    "province",
    "investment",
    "promotion",
    "project",
    "signed",
    "cooperation",
    "environment",
    "business",
    "industrial",
    "park",
    "new",
    "energy",
    "vehicles",
    "agriculture",
    "winter",
    "tourism",
    "Changchun",
    "delegation",
    "visit",
    "talks",
    "exchange",
    "services",
    "policy",
    "key",
    "construction",
    "started",
    "economic",
    "development",
    "enterprises",
    "government",
    "meeting",
]


def chinese(rng, characters):
    sentences = []
    while sum(map(len, sentences)) < characters:
        sentences.append("".join(rng.choice(HANZI) for _ in range(rng.randint(12, 30))) + "。")
    return "".join(sentences)


def english(rng, words):
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        sentences.append(sentence.capitalize() + ".")
    return " ".join(sentences)


def paragraphs(text, size):
    return "".join(f"<p>{text[i : i + size]}</p>" for i in range(0, len(text), size))


def cover_name():
    name = "covers/bench/cover.jpg"
    if not default_storage.exists(name):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 450), (11, 74, 139)).save(buffer, "JPEG")
        default_storage.save(name, buffer)
    return name


def generate(total):
    rng = random.Random(20260410)
    columns = {column.slug: column for column in Column.objects.all()}
    slugs = [slug for slug in COLUMN_WEIGHTS if slug in columns]
    weights = [COLUMN_WEIGHTS[slug] for slug in slugs]
    now = timezone.now()
    cover = cover_name()
    existing = Article.objects.count()
    started = time.monotonic()
    for start in range(existing, total, BATCH):
        batch = []
        for number in range(start, min(start + BATCH, total)):
            # Newest first by number, spread over ten years, a few minutes apart.
            publish_at = now - timedelta(minutes=3 * number + rng.randint(1, 2), seconds=rng.randint(0, 59))
            title_en = english(rng, 9)
            fields = {
                "column": columns[rng.choices(slugs, weights)[0]],
                "status": Article.Status.PUBLISHED,
                "publish_at": publish_at,
                "title_zh_hans": chinese(rng, 18)[:60],
                "summary_zh_hans": chinese(rng, 60),
                "body_zh_hans": paragraphs(chinese(rng, 1300), 160),
                "title_en": title_en[:200],
                "slug": slugify(title_en[:60]).strip("-"),
                "summary_en": english(rng, 35),
                "body_en": paragraphs(english(rng, 650), 500),
                "author": "Bench",
                "source_zh_hans": "吉林日报",
                "source_en": "Jilin Daily",
                "featured": number % 100 == 7,
            }
            if number % 10 == 3:  # Chinese only
                fields.update(title_en="", summary_en="", body_en="", slug="")
            if number % 10 == 5:
                fields.update(cover_image=cover, cover_width=800, cover_height=450, cover_alt_en="A picture")
            if number % 500 == 11:  # scheduled for later
                fields["publish_at"] = now + timedelta(days=rng.randint(1, 30))
            if number % 500 == 13:  # withdrawn
                fields["unpublish_at"] = publish_at + timedelta(days=1)
            if number % 250 == 17:
                fields["status"] = Article.Status.DRAFT
            batch.append(Article(**fields))
        with transaction.atomic():
            Article.objects.bulk_create(batch)
        done = min(start + BATCH, total)
        print(f"  {done:>7} / {total} articles ({time.monotonic() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE news_article")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(queryset_or_callable, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = queryset_or_callable()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def plans():
    """The reader queries with their plans and their best time of five, as Markdown."""
    translation.activate("en")
    column = Column.objects.get(slug="investment-dynamics")
    public = Article.objects.public().for_listing()
    listing = public.filter(column=column)
    count = listing.count()
    deep = min(500, max(1, (count + 19) // 20))
    newest = Article.objects.public().order_by("-publish_at").first()
    year, month = newest.publish_at.year, newest.publish_at.month
    moment = timezone.now()
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    newest_ids = public.newest_ids_per_column(HOME_LATEST_PER_COLUMN)
    per_column = public.filter(column=OuterRef("pk")).order_by("-publish_at", "-pk").values("pk")
    # The filter as it was before the stored availability columns, for comparison.
    old_listing = (
        Article.objects.published().filter(column=column).filter(Q(title_en__gt="", body_en__gt="")).order_by()
    )
    # name → (what the page runs, the query to explain)
    queries = {
        "column list, page 1": (lambda: list(listing[:20]), listing[:20]),
        f"column list, page {deep} (ids from the index, then rows by key: IndexedPaginator)": (
            lambda: list(IndexedPaginator(column_list(column, [], moment), 20).page(deep).object_list),
            # The ORM's form of the page's prepared query (news/list_queries.py; the same SQL).
            Article.objects.filter(pk__in=listing.values("pk")[(deep - 1) * 20 : deep * 20])
            .order_by(*NEWEST_FIRST)
            .values_list("pk", *CARD_FIELDS),
        ),
        f"column list, page {deep} with a plain OFFSET (before IndexedPaginator)": (
            lambda: list(listing[(deep - 1) * 20 : deep * 20]),
            listing[(deep - 1) * 20 : deep * 20],
        ),
        "column count (paginator)": (listing.count, listing.order_by().values("pk")),
        "column count, comparing the texts instead (before available_<lang>)": (
            lambda: old_listing.count(),
            old_listing.order_by().values("pk"),
        ),
        "home: featured": (lambda: list(public.filter(featured=True)[:4]), public.filter(featured=True)[:4]),
        "home: ids of the newest six of each column": (
            lambda: public.newest_ids_per_column(HOME_LATEST_PER_COLUMN),
            Column.objects.order_by().values_list(*(Subquery(per_column[i : i + 1]) for i in range(6))),
        ),
        "home: those articles": (
            lambda: list(Article.objects.for_listing().filter(pk__in=newest_ids)),
            Article.objects.for_listing().filter(pk__in=newest_ids),
        ),
        "article: previous in column": (
            lambda: listing.filter(Q(publish_at__lt=newest.publish_at)).order_by("-publish_at", "-pk").first(),
            listing.filter(publish_at__lt=newest.publish_at).order_by("-publish_at", "-pk")[:1],
        ),
        f"archive: {year}-{month:02d}, first 20": (
            lambda: list(public.filter(publish_at__year=year, publish_at__month=month)[:20]),
            public.filter(publish_at__year=year, publish_at__month=month)[:20],
        ),
        "scheduled: next publish or unpublish": (
            lambda: Article.objects.next_schedule_change(moment),
            published.filter(publish_at__gt=moment).order_by("publish_at").values("publish_at")[:1],
        ),
        "scheduled: (its unpublish half)": (
            lambda: None,
            published.filter(unpublish_at__gt=moment).order_by("unpublish_at").values("unpublish_at")[:1],
        ),
    }
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    lines = [f"Column *Investment Dynamics* holds {count} articles available in English.", ""]
    for name, (run, queryset) in queries.items():
        ms, _ = timed(run)
        lines += [f"**{name}** — best of 5: {ms:.2f} ms", "", "```", queryset.explain(**options).strip(), "```", ""]
    print("\n".join(lines))


def database():
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        print(f"SQLite {connection.Database.sqlite_version}")
    else:
        print(f"PostgreSQL {connection.connection.info.server_version}")


VARIED_ARTICLES = 1000


def info():
    """Per language: the deepest column page to measure (500, or the last when fewer), an article,
    and the addresses of up to VARIED_ARTICLES public articles spread over the whole corpus."""
    result = {}
    column = Column.objects.get(slug="investment-dynamics")
    for code, _name in settings.LANGUAGES:
        listing = Article.objects.public(code).filter(column=column)
        pages = max(1, (listing.count() + 19) // 20)
        article = listing.filter(featured=False).order_by("-publish_at")[10]
        ids = list(Article.objects.public(code).order_by("pk").values_list("pk", flat=True))
        spread = Article.objects.filter(pk__in=ids[:: max(1, len(ids) // VARIED_ARTICLES)][:VARIED_ARTICLES])
        with translation.override(code):
            project = Project.objects.public(code).filter(deal_status="open").order_by("pk").first()
        result[code] = {
            "project": project.get_absolute_url(code) if project else None,
            "deep": min(500, pages),
            "article": article.get_absolute_url(code),
            "articles": [other.get_absolute_url(code) for other in spread.only("slug")],
        }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(int(sys.argv[2]))
    elif sys.argv[1:] == ["plans"]:
        plans()
    elif sys.argv[1:] == ["info"]:
        info()
    elif sys.argv[1:] == ["database"]:
        database()
    else:
        sys.exit(__doc__)
