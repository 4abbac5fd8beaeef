"""Demo content: the seed article, a dozen more across the columns, pages and footer settings.

``load()`` is idempotent: every object has a natural key (a slug) and is only created
when missing, so running it again changes nothing and never overwrites an editor's work.
The content itself is data, in ``content.py``.
"""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from ..investment import demo as investment_demo
from ..models import Article, Column, Page, Region, SiteSettings, Tag
from ..policies import demo as policies_demo
from .content import ARTICLES, COLUMN_KINDS, COLUMNS, PAGES, REGIONS, SITE_SETTINGS, TAGS, html


def cover_image(slug, palette, size=(1200, 675)):
    """A JPEG drawn with Pillow: a gradient with a few shapes, different for each slug."""
    top, bottom = palette
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)))
    rng = random.Random(slug)
    for _ in range(7):
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        radius = rng.randrange(60, 260)
        shade = tuple(min(255, channel + rng.randrange(20, 90)) for channel in top)
        draw.polygon([(x - radius, height), (x, y - radius // 2), (x + radius, height)], fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=f"{slug}.jpg")


@transaction.atomic
def load(stdout=None):
    """Create whatever demo content is missing. Returns the number of objects created."""
    created = 0
    for order, (slug, name_zh, name_en, description_zh, description_en) in enumerate(COLUMNS, start=1):
        _column, was_created = Column.objects.get_or_create(
            slug=slug,
            defaults={
                "order": order,
                "name_zh_hans": name_zh,
                "name_en": name_en,
                "description_zh_hans": description_zh,
                "description_en": description_en,
                "kind": COLUMN_KINDS.get(slug, Column.Kind.NEWS),
            },
        )
        created += was_created
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create(**SITE_SETTINGS)
        created += 1
    for slug, order, (title_zh, body_zh), (title_en, body_en) in PAGES:
        _page, was_created = Page.objects.get_or_create(
            slug=slug,
            defaults={
                "order": order,
                "title_zh_hans": title_zh,
                "body_zh_hans": body_zh,
                "title_en": title_en,
                "body_en": body_en,
            },
        )
        created += was_created
    for model, rows in ((Region, REGIONS), (Tag, TAGS)):
        for order, (slug, name_zh, name_en) in enumerate(rows, start=1):
            defaults = {"name_zh_hans": name_zh, "name_en": name_en}
            if model is Region:
                defaults["order"] = order
            created += model.objects.get_or_create(slug=slug, defaults=defaults)[1]
    columns = {column.slug: column for column in Column.objects.all()}
    regions = {region.slug: region for region in Region.objects.all()}
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    for data in ARTICLES:
        if Article.objects.filter(slug=data["slug"]).exists():
            continue
        article = _create_article(data, columns, regions)
        article.tags.set([tags[slug] for slug in data.get("tags", [])])
        created += 1
    created += investment_demo.load()
    created += policies_demo.load()
    if stdout:
        stdout.write(f"Demo content: {created} objects created.")
    return created


def _create_article(data, columns, regions):
    publish_at = data["publish_at"]
    if publish_at == "in 30 days":
        publish_at = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    article = Article(
        slug=data["slug"],
        column=columns[data["column"]],
        region=regions.get(data.get("region")),
        publish_at=publish_at,
        event_date=data.get("event_date"),
        status=data.get("status", Article.Status.PUBLISHED),
        featured=data.get("featured", False),
        internal_note=data.get("internal_note", "Demo article written for this project."),
    )
    for code, suffix in (("zh-hans", "zh_hans"), ("en", "en")):
        if data.get(code):
            title, summary, paragraphs = data[code]
            setattr(article, f"title_{suffix}", title)
            setattr(article, f"summary_{suffix}", summary)
            setattr(article, f"body_{suffix}", html(paragraphs))
        caption_alt = data.get("cover_text", {}).get(code)
        if caption_alt and data.get(code):
            setattr(article, f"cover_caption_{suffix}", caption_alt[0])
            setattr(article, f"cover_alt_{suffix}", caption_alt[1])
    if data.get("cover"):
        article.cover_image.save(f"{data['slug']}.jpg", cover_image(data["slug"], data["cover"]), save=False)
    article.full_clean()
    article.save()
    return article
