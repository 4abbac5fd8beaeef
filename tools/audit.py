"""Measure the reader pages in a real browser: screenshots, Lighthouse, the Nu HTML checker.

    python tools/audit.py screenshots   # PNGs into docs/screenshots/
    python tools/audit.py audit         # Lighthouse (mobile) + page weights + vnu → docs/audit.md
    python tools/audit.py validate      # only the Nu HTML checker, printed

Each command serves the demo on 127.0.0.1:$AUDIT_PORT (8070) from its own data folder,
var/audit/ (SQLite, file cache, media; recreated every run so the figures are repeatable), with
gunicorn as `make run` does, and stops it at the end. Chromium is Debian's (/usr/bin/chromium);
Lighthouse and vnu.jar come from package.json (`npm ci`, run by the Makefile), Java runs vnu.jar.
These are measurements, not tests: they print and write what they found and exit non-zero only
when a tool fails or the Nu checker reports an error.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATA_DIR = BASE_DIR / "var" / "audit"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = BASE_DIR / "docs" / "screenshots"
REPORT = BASE_DIR / "docs" / "audit.md"
SEED_SLUG = "beijing-soes-to-jilin-for-project-negotiation-and-matchmaking-was-held"
ADMIN_USER, ADMIN_PASSWORD = "audit", "audit-only-password-8070"
LANGUAGES = ["zh-hans", "en"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
]
PHONE = {"width": 390, "height": 844}
# Checked by the Nu HTML checker besides the pages Lighthouse measures.
VALIDATE_EXTRA = [
    "/zh-hans/search/?q=%E5%90%89%E6%9E%97",
    "/en/search/?q=Jilin",
    "/zh-hans/no-such-page/",
    "/en/no-such-page/",
    "/zh-hans/page/accessibility/",
    "/en/page/accessibility/",
    "/zh-hans/policies/",
    "/en/policies/",
]
DESKTOP = {"width": 1280, "height": 900}


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


@contextmanager
def demo_server(port):
    """The demo site, served by gunicorn as `make run` serves it, from a fresh var/audit/."""
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_DATA_DIR=str(DATA_DIR),
        DJANGO_SECRET_KEY="audit-only-not-a-secret",  # noqa: S106 - a throwaway demo in var/audit/
        DJANGO_HTTPS="false",
        DJANGO_DEBUG="false",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    manage("createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "audit@example.org", env=env)
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base_url + "/zh-hans/", timeout=2)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"The demo server did not answer on {base_url}.")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def demo_pages():
    """Home, a column and the seed article in each language: the pages the issue measures."""
    pages = []
    for language in LANGUAGES:
        pages += [
            (f"home-{language}", f"/{language}/"),
            (f"column-{language}", f"/{language}/column/investment-dynamics/"),
            (f"article-{language}", f"/{language}/news/1/{SEED_SLUG}/"),
        ]
    return pages


def investment_pages(base_url):
    """The project list, the first listed project, its brochure and enquiry form, the zone directory
    and a zone, in each language (the project's code read from the list: it depends on the year)."""
    import re

    with urllib.request.urlopen(f"{base_url}/en/projects/") as response:  # noqa: S310 - our own server
        code = re.search(r'href="/en/projects/([A-Z]+\d{4}-\d{4})/', response.read().decode()).group(1)
    pages = []
    for language in LANGUAGES:
        pages += [
            f"/{language}/projects/",
            f"/{language}/projects/{code}/",
            f"/{language}/projects/{code}/print/",
            f"/{language}/enquiry/project/{code}/",
            f"/{language}/zones/",
            f"/{language}/zones/changchun-new-area/",
        ]
    return pages


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshots(base_url):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    article = demo_pages()[2][1].split("/", 2)[2]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for language in LANGUAGES:
            locale = "zh-CN" if language == "zh-hans" else "en-US"
            for name, path in (("home", f"/{language}/"), ("article", f"/{language}/{article}")):
                for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                    context = browser.new_context(viewport=viewport, locale=locale, timezone_id="Asia/Shanghai")
                    page = context.new_page()
                    page.goto(base_url + path)
                    target = SCREENSHOTS / f"{name}-{device}-{language}.png"
                    if device == "phone":  # The first two screens: enough to show the layout, light to keep.
                        height = min(page.evaluate("document.documentElement.scrollHeight"), 2 * viewport["height"])
                        clip = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
                        page.screenshot(path=target, full_page=True, clip=clip)
                    else:
                        page.screenshot(path=target)
                    print(target.relative_to(BASE_DIR))
                    context.close()
            # The admin follows the editor's browser language.
            context = browser.new_context(
                viewport={"width": 1280, "height": 1500}, locale=locale, timezone_id="Asia/Shanghai"
            )
            page = context.new_page()
            page.goto(base_url + "/admin/login/")
            page.locator("#id_username").fill(ADMIN_USER)
            page.locator("#id_password").fill(ADMIN_PASSWORD)
            page.locator("[type=submit]").click()
            page.wait_for_url("**/admin/")
            page.goto(base_url + "/admin/news/article/1/change/")
            page.locator(".field-body_en [contenteditable=true]").wait_for()
            target = SCREENSHOTS / f"admin-article-form-{language}.png"
            page.screenshot(path=target)
            print(target.relative_to(BASE_DIR))
            context.close()
        browser.close()


def lighthouse(base_url, name, path, out_dir):
    target = out_dir / f"{name}.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            base_url + path,
            "--quiet",
            "--output=json",
            f"--output-path={target}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS),
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    report = json.loads(target.read_text())
    scores = {category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    origin = base_url.rstrip("/")
    weight = {"Document": 0, "Stylesheet": 0, "Script": 0}
    for request in requests:
        if request.get("resourceType") in weight:
            weight[request["resourceType"]] += request.get("transferSize", 0)
    third_party = sorted({request["url"] for request in requests if not request["url"].startswith(origin)})
    metrics = {key: report["audits"][key]["displayValue"] for key in METRICS}
    scored = [audit for audit in report["audits"].values() if audit.get("score") is not None]
    failed = [audit["id"] for audit in scored if audit["score"] < 0.9]
    return scores, weight, third_party, failed, metrics


def compressed_weight(base_url, path):
    """HTML + CSS + JS of a page, each gzip-compressed (what a compressing proxy or cache would send)."""
    import re

    def fetch(url):
        with urllib.request.urlopen(url) as response:  # noqa: S310 - our own server
            return response.read()

    html = fetch(base_url + path)
    assets = re.findall(rb'<(?:link rel="stylesheet"|script) [^>]*?(?:href|src)="(/static/[^"]+)"', html)
    sizes = {"HTML": len(gzip.compress(html)), "CSS + JS": 0}
    for asset in assets:
        sizes["CSS + JS"] += len(gzip.compress(fetch(base_url + asset.decode())))
    return sizes


def validate(base_url, paths):
    """The Nu HTML checker on each page as served (saved first: vnu.jar refuses to fetch from loopback)."""
    import urllib.error

    html_dir = DATA_DIR / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, path in enumerate(paths):
        try:
            with urllib.request.urlopen(base_url + path) as response:  # noqa: S310 - our own server
                body = response.read()
        except urllib.error.HTTPError as error:  # the 404 page is checked too
            body = error.read()
        target = html_dir / f"page-{number}.html"
        target.write_bytes(body)
        files[str(target.resolve())] = path
    return nu_check(files)


def nu_checker_missing():
    """Why the Nu HTML checker cannot run here, or None when it can (Java and vnu.jar from npm)."""
    if shutil.which("java") is None:
        return "no Java to run the Nu HTML checker (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"no vnu.jar at {VNU_JAR.relative_to(BASE_DIR)} (npm ci, as `make validate` runs it)"
    return None


def nu_check(files):
    """The Nu HTML checker on saved pages: ``files`` maps each file's absolute path to the name to
    report it under. Returns ``(errors, warnings and notes)``, each a list of vnu's JSON messages
    (``type``, ``message``, ``lastLine``, ``extract``…) whose ``url`` is that name; a checker that
    could not run is one error."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        messages = [{"type": "error", "url": "vnu.jar", "message": (result.stdout + result.stderr)[:2000]}]
    if result.returncode != 0 and not any(m.get("type") in {"error", "non-document-error"} for m in messages):
        # vnu exits 1 only with errors to report; Java exits 1 too when it cannot run the jar (a
        # broken download, a Java too old for it), with nothing on stdout: never a pass.
        messages.append(
            {"type": "error", "url": "vnu.jar", "message": f"exit {result.returncode}: {result.stderr[:2000]}"}
        )
    for message in messages:
        file = message.get("url", "").removeprefix("file:")
        message["url"] = files.get(file, file)
    errors = [message for message in messages if message.get("type") in {"error", "non-document-error"}]
    return errors, [message for message in messages if message not in errors]


def audit(base_url):
    out_dir = DATA_DIR / "lighthouse"
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = demo_pages()
    rows, weights, problems, timings = [], [], [], []
    for name, path in pages:
        scores, weight, third_party, failed, metrics = lighthouse(base_url, name, path, out_dir)
        timings.append(f"| {name} | " + " | ".join(metrics[key].replace("\xa0", " ") for key in METRICS) + " |")
        compressed = compressed_weight(base_url, path)
        print(name, scores, weight, compressed, "third-party:", third_party, "below 0.9:", failed)
        rows.append(f"| {name} | `{path}` | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
        total = sum(weight.values())
        weights.append(
            f"| {name} | {weight['Document'] / 1024:.1f} | {(weight['Stylesheet'] + weight['Script']) / 1024:.1f} "
            f"| {total / 1024:.1f} | {sum(compressed.values()) / 1024:.1f} | {len(third_party)} |"
        )
        if failed:
            problems.append(f"- {name}: audits scoring under 90: {', '.join(failed)}")
    extra = VALIDATE_EXTRA
    errors, warnings = validate(base_url, [path for _name, path in pages] + extra)
    lines = [
        "# Reader pages, measured",
        "",
        f"Written by `make audit` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC against the demo served by gunicorn",
        "(2 workers, `DEBUG` off, static files through whitenoise), Lighthouse 12.2.3 in its default mobile",
        "mode (emulated mid-range phone, simulated slow 4G) with Debian's Chromium.",
        "Full reports: `var/audit/lighthouse/`.",
        "",
        "## Lighthouse",
        "",
        "| page | address | performance | accessibility | best practices | SEO |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        *(problems or ["Every individual Lighthouse audit scored 90 or more."]),
        "",
        "| page | first contentful paint | largest contentful paint | total blocking time | layout shift "
        "| speed index |",
        "| --- | --- | --- | --- | --- | --- |",
        *timings,
        "",
        "## Page weight (HTML + CSS + JS, images excluded), KB",
        "",
        "*as sent* is what Lighthouse saw travel from `make run` (headers included); *gzip* is the same",
        "files compressed, as a compressing proxy sends the HTML (whitenoise already compresses CSS and JS).",
        "",
        "| page | HTML as sent | CSS + JS as sent | total as sent | total gzip | third-party requests |",
        "| --- | --- | --- | --- | --- | --- |",
        *weights,
        "",
        "## Nu HTML checker (vnu.jar 26.9.27)",
        "",
        f"Pages: the six above and {', '.join(f'`{path}`' for path in extra)}.",
        f"Errors: {len(errors)}. Warnings and notes: {len(warnings)}.",
        "",
        *(f"- {m['type']}: {m.get('url', '')}: {m.get('message', '')}" for m in errors + warnings),
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(REPORT.relative_to(BASE_DIR))
    for message in errors:
        print("vnu error:", message.get("url"), message.get("lastLine"), message.get("message"), file=sys.stderr)
    return 1 if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["screenshots", "audit", "validate", "serve"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("AUDIT_PORT", 8070)))
    options = parser.parse_args()
    with demo_server(options.port) as base_url:
        if options.command == "screenshots":
            screenshots(base_url)
            return 0
        if options.command == "audit":
            return audit(base_url)
        if options.command == "validate":
            paths = [path for _name, path in demo_pages()] + VALIDATE_EXTRA + investment_pages(base_url)
            errors, warnings = validate(base_url, paths)
            for message in errors + warnings:
                print(f"{message['type']}: {message['url']}:{message.get('lastLine')}: {message.get('message')}")
            print(f"Nu HTML checker: {len(paths)} pages, {len(errors)} errors, {len(warnings)} warnings and notes.")
            return 1 if errors else 0
        print(f"Serving the audit demo on {base_url}/ (admin: {ADMIN_USER} / {ADMIN_PASSWORD}); Ctrl-C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
