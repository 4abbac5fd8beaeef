"""Write every reader page, feed and sitemap of the demo to a folder, to compare two versions.

    .venv/bin/python tools/snapshot.py OUT_DIR

Loads the demo into a fresh data folder (a temporary one), then fetches, through Django's test
client with the page cache off, the home page, every address the sitemaps list, the column
archives, tag and region pages, feeds, searches, robots.txt and a few 404s, in both languages.
Each answer is written as ``OUT_DIR/<n>.txt``: the address, the status, the headers that do not
change from one run to the next (not ``Date``/``Expires``; the CSP's directives sorted, as
django-csp writes them in set order), and the body. ``diff -r`` of two
snapshots taken before and after a refactoring shows every byte a reader would see change.
Time is fixed (``PORTAL_SNAPSHOT_NOW``, default 2026-11-30 12:00 Beijing) so relative dates agree.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

VOLATILE_HEADERS = {"date", "expires"}


def main(out_dir):
    data_dir = tempfile.mkdtemp(prefix="portal-snapshot-")
    os.environ.update(
        DJANGO_DATA_DIR=data_dir,
        DJANGO_SECRET_KEY="snapshot-only",  # noqa: S106 - a throw-away database
        DJANGO_HTTPS="false",
        PORTAL_PAGE_CACHE_SECONDS="0",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    now = datetime.fromisoformat(os.environ.get("PORTAL_SNAPSHOT_NOW", "2026-11-30T12:00:00")).replace(
        tzinfo=ZoneInfo("Asia/Shanghai")
    )
    with mock.patch.object(timezone, "now", lambda: now):
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        client = Client(HTTP_USER_AGENT="", HTTP_HOST="127.0.0.1")
        queue = ["/", "/robots.txt", "/sitemap.xml"]
        for code in ("zh-hans", "en"):
            queue += [
                f"/{code}/",
                f"/{code}/feed/",
                f"/{code}/search/?q=%E5%90%89%E6%9E%97",
                f"/{code}/search/?q=investment",
                f"/{code}/search/?q=",
                f"/{code}/news/999999/",
                f"/{code}/no-such-page/",
            ]
        seen, out = set(), Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        number = 0
        while queue:
            path = queue.pop(0)
            if path in seen or len(seen) > 2000:
                continue
            seen.add(path)
            response = client.get(path)
            body = b"".join(response) if response.streaming else response.content
            headers = sorted(
                (k, "; ".join(sorted(v.split("; "))) if k == "Content-Security-Policy" else v)
                for k, v in response.headers.items()
                if k.lower() not in VOLATILE_HEADERS
            )
            text = f"{path}\n{response.status_code}\n" + "".join(f"{k}: {v}\n" for k, v in headers) + "\n"
            number += 1
            (out / f"{number:04d}.txt").write_bytes(text.encode() + body)
            if response.status_code in (301, 302):
                queue.append(response["Location"])
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and ("html" in content_type or "xml" in content_type):
                for link in re.findall(rb'(?:href|<loc>)="?(http://127\.0\.0\.1)?(/[^"<\s#]*)', body):
                    target = link[1].decode().replace("&amp;", "&")
                    if not target.startswith(("/static/", "/media/", "/admin/", "/i18n/")):
                        queue.append(target)
    print(f"{number} answers written to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
