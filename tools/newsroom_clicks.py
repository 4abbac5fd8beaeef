"""Clicks, keystrokes and seconds for a senior editor, from the login page to a published bilingual
article with a picture, in the Chinese admin of a checkout of the portal.

    .venv/bin/python tools/newsroom_clicks.py [--checkout DIR] [--data-dir DIR] [--runs 3]

``--checkout`` is the portal's source tree to measure (this one by default; a second git worktree of
another commit to compare, e.g. ``git worktree add /tmp/portal-before <commit>``). The data folder
(a fresh temporary one by default) gets the migrated SQLite database, the demo content and a senior
editor account; gunicorn (2 workers) serves the checkout from it on a free port, and headless Chromium
walks the shortest path the admin offers:

    login page → username, password, 登录 → the admin home's "add article" link → column,
    Chinese and English title and body, the cover picture and its two descriptions → 发布

and stops when the success message is shown; the article is then looked up on the Chinese and the
English reader pages (by an anonymous reader, not counted) to make sure it was really published.

Counted as the person would: a *click* is every pointer action (each field clicked before typing,
the column menu and its entry, the file chooser and the file, each button or link); *keystrokes* are
the characters typed; *pages* are the documents loaded. *Seconds* is the wall-clock time of the
scripted walk, so it measures the portal's round trips, not a person's reading or typing (the
clicks and keystrokes stand for those). The same texts are typed on every checkout.

Prints one Markdown table row per run and the median; exits non-zero when the walk fails.
"""

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USERNAME, PASSWORD = "li.zhubian", "clicks-measuring-password-2026"
TEXTS = {
    "title_zh_hans": "长春新区签约十二个先进制造项目",
    "title_en": "Changchun New Area signs twelve advanced manufacturing projects",
    "body_zh_hans": "长春新区今天集中签约十二个先进制造项目，总投资八十六亿元。",
    "body_en": "Changchun New Area signed twelve advanced manufacturing projects today, worth 8.6 billion yuan.",
    "cover_alt_zh_hans": "签约仪式现场",
    "cover_alt_en": "The signing ceremony",
}
MAKE_SENIOR_EDITOR = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user = get_user_model().objects.create_user({username!r}, password={password!r}, is_staff=True,
                                            first_name="主编", last_name="李")
user.groups.add(Group.objects.get(name="Senior editor"))
"""

FIND_ARTICLE = """
from news.models import Article
article = Article.objects.filter(title_en={title!r}, status="published").exclude(cover_image="").order_by("-pk").first()
print(article.pk if article else "")
"""


def manage(checkout, env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=checkout,
        env=env,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def environment(data_dir):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "REDIS_", "DATABASE_"))}
    clean.update(
        DJANGO_SECRET_KEY="clicks-measuring-not-a-secret",  # noqa: S106 - a throwaway local server
        DJANGO_HTTPS="false",
        DJANGO_DATA_DIR=str(data_dir),
    )
    return clean


def prepare(checkout, env):
    """The database migrated and holding the demo, static files collected, the senior editor made."""
    manage(checkout, env, "migrate", "--noinput", "--verbosity", "0")
    manage(checkout, env, "load_demo")
    manage(checkout, env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(checkout, env, "shell", "-c", MAKE_SENIOR_EDITOR.format(username=USERNAME, password=PASSWORD))


def serve(checkout, env, log):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/zh-hans/", timeout=30):
                return process, base
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log.name}")


def newest_article(checkout, env, title_en):
    """The id of the newest published article titled ``title_en``, or ``None``."""
    found = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FIND_ARTICLE.format(title=title_en)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()
    last_line = found.splitlines()[-1] if found else ""
    return int(last_line) if last_line.isdigit() else None


def cover_jpeg(path):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 675), (11, 74, 139))
    ImageDraw.Draw(picture).rectangle((200, 200, 1000, 500), fill=(240, 165, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


class Walk:
    """Drives one page and counts what a person would do."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.keystrokes = 0
        self.pages = 0
        page.on("framenavigated", lambda frame: self._navigated(frame))

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.pages += 1

    def click(self, selector):
        self.clicks += 1
        self.page.locator(selector).first.click()

    def type(self, selector, text):
        self.click(selector)
        self.keystrokes += len(text)
        self.page.keyboard.insert_text(text)

    def choose(self, selector, label):
        self.clicks += 2  # open the menu, pick the entry
        self.page.locator(selector).select_option(label=label)

    def upload(self, selector, path):
        self.clicks += 2  # the file button, the file in the chooser (its 打开 button: +1 on some systems)
        self.page.locator(selector).set_input_files(path)


def walk(browser, base, picture, find_article):
    context = browser.new_context(
        base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 768}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    started = time.monotonic()
    page.goto("/admin/login/?next=/admin/")
    steps = Walk(page)
    steps.pages = 1
    steps.type("#id_username", USERNAME)
    steps.type("#id_password", PASSWORD)
    steps.click("#login-form [type=submit]")
    page.wait_for_selector("#content")
    steps.click('a.addlink[href$="/news/article/add/"]')
    page.wait_for_selector("#id_title_zh_hans")
    column = page.locator("#id_column option").nth(1).inner_text()
    steps.choose("#id_column", column)
    steps.type("#id_title_zh_hans", TEXTS["title_zh_hans"])
    steps.type(".field-body_zh_hans [contenteditable=true]", TEXTS["body_zh_hans"])
    steps.type("#id_title_en", TEXTS["title_en"])
    steps.type(".field-body_en [contenteditable=true]", TEXTS["body_en"])
    steps.upload("#id_cover_image", picture)
    steps.type("#id_cover_alt_zh_hans", TEXTS["cover_alt_zh_hans"])
    steps.type("#id_cover_alt_en", TEXTS["cover_alt_en"])
    steps.click('button[name="_workflow"][value="publish"]')
    page.wait_for_selector(".messagelist .success", timeout=30_000)
    seconds = time.monotonic() - started
    refused = page.locator(".errornote").count()
    message = page.locator(".messagelist .success").first.inner_text()
    article_id = find_article(TEXTS["title_en"])
    published = article_id is not None and all(
        _shown(context, f"{base}/{language}/news/{article_id}/", TEXTS[f"title_{language.replace('-', '_')}"])
        for language in ("zh-hans", "en")
    )
    context.close()
    return {
        "clicks": steps.clicks,
        "keystrokes": steps.keystrokes,
        "pages": steps.pages,
        "seconds": round(seconds, 2),
        "published": published and not refused,
        "message": message,
        "article": article_id,
    }


def _shown(context, url, title):
    """Whether an anonymous reader gets the article at ``url`` with ``title`` as its heading."""
    reader = context.browser.new_context()
    try:
        page = reader.new_page()
        response = page.goto(url)
        return response.ok and title in page.locator("h1").all_inner_texts()
    finally:
        reader.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the portal's source tree to measure")
    parser.add_argument("--data-dir", type=Path, help="its data folder (a fresh temporary one by default)")
    parser.add_argument("--runs", type=int, default=3, help="walks, each publishing a new article")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    options = parser.parse_args()
    checkout = options.checkout.resolve()
    data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="clicks-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(data_dir)
    prepare(checkout, env)
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    picture = cover_jpeg(data_dir / "ceremony.jpg")

    from playwright.sync_api import sync_playwright

    results = []
    with (data_dir / "gunicorn.log").open("w") as log:
        server, base = serve(checkout, env, log)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for _run in range(options.runs):
                    results.append(walk(browser, base, picture, lambda title: newest_article(checkout, env, title)))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = {"commit": commit, "runs": results, "median_seconds": statistics.median(r["seconds"] for r in results)}
    if options.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("| commit | run | clicks | keystrokes | pages | seconds | published on both sites |")
        print("|---|---|---|---|---|---|---|")
        for number, result in enumerate(results, 1):
            print(
                f"| {commit} | {number} | {result['clicks']} | {result['keystrokes']} | {result['pages']} "
                f"| {result['seconds']} | {'yes' if result['published'] else 'NO'} |"
            )
        print(f"\nmedian seconds: {summary['median_seconds']}")
    if not all(result["published"] for result in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
