"""Old addresses stored before normalize_legacy_url wrote one spelling (upper-case escapes, no raw
UTF-8) are rewritten in it, so that the requests it normalizes find them."""

from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.db import migrations

# A copy of news.models.articles.normalize_legacy_url as of this migration (migrations do not
# import code that may change later).
SAFE = "/-._~!$&'()*+,;=:@"


def _normalize(url):
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    path = quote(unquote_to_bytes(path), safe=SAFE)
    query = quote(unquote_to_bytes(parts.query), safe=SAFE + "?")
    return path + (f"?{query}" if query else "")


def normalize_stored(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    rows = Article.objects.exclude(legacy_url="").values_list("pk", "legacy_url").iterator(chunk_size=2000)
    for pk, url in rows:
        normalized = _normalize(url)
        if normalized != url:
            Article.objects.filter(pk=pk).update(legacy_url=normalized[:500])


class Migration(migrations.Migration):
    dependencies = [("news", "0010_article_first_published_at")]

    operations = [migrations.RunPython(normalize_stored, migrations.RunPython.noop, elidable=True)]
