"""Give the shared harness's corpus tag and region pages as full as its column page.

The harness (``../shared/bench-peers/``) imports 2,000 articles into *Investment Dynamics* with no
tag and no region, so a tag or region page lists at most the demo's few articles. Issue 18 compares
tag and region pages with the Wagtail peer's list page 1 (20 items): this puts every fifth article
of the column under the tag ``regional-cooperation`` and the region ``changchun`` (400 articles,
20 pages of each), through the ORM as an import would, then bumps the content version. Idempotent.

Run by ``bench/peers_serve.sh`` in the harness's clone, with its ``DJANGO_DATA_DIR``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from news.models import Article, Region, Tag  # noqa: E402
from news.pagecache.version import bump_content_version  # noqa: E402

TAG, REGION, EVERY = "regional-cooperation", "changchun", 5


def main():
    tag, region = Tag.objects.get(slug=TAG), Region.objects.get(slug=REGION)
    pks = list(Article.objects.filter(column__slug="investment-dynamics").order_by("pk").values_list("pk", flat=True))[
        ::EVERY
    ]
    with transaction.atomic():
        Article.objects.filter(pk__in=pks).update(region=region)
        through = Article.tags.through
        tagged = set(through.objects.filter(tag=tag).values_list("article_id", flat=True))
        through.objects.bulk_create([through(article_id=pk, tag_id=tag.pk) for pk in pks if pk not in tagged])
    bump_content_version()
    print(f"{len(pks)} articles under tag {TAG} and region {REGION}")


if __name__ == "__main__":
    main()
