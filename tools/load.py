"""``make load``: 200 concurrent readers for 60 s on the home, column, article and search pages.

Real traffic, not benchmark traffic (DESIGN.md, "Speed"): every request is a new reader's, with a
browser User-Agent and an address of its own (``X-Forwarded-For``, as nginx sets it in front;
``LOAD_AGENT=bot`` sends no User-Agent, to compare), and the run starts on a full cache: the
shared cache's pages are filled to 97% of its size limit (``MAX_MB``, 256) with entries as a day
of traffic leaves them, where new entries begin to evict old ones, and every address is read once
before the clock starts.

Serves the demo from its own data folder, var/load/ (recreated every run), with gunicorn as
``make run`` starts it (2 sync workers, DEBUG off, the access log written to
var/load/access.log instead of the terminal), on 127.0.0.1:$LOAD_PORT (8044). wrk
(tools/load.lua) rotates over the addresses of the four kinds of page in both languages,
found by reading the home and column pages; the searches use many different words, so that
beyond 30 a minute from the one address (``PORTAL_SEARCH_RATE_PER_MINUTE``) they get the
intended 429.

It prints requests/s, p50, p90 and p99 latency, socket errors, and the answers per page kind
and status (counted from the access log), and exits non-zero when any answer is a 5xx, any
status other than 200 and the searches' 429 appears, or a socket error or timeout happens.
Environment: ``LOAD_SECONDS`` (60), ``LOAD_CONNECTIONS`` (200), ``LOAD_PORT`` (8044),
``LOAD_AGENT`` (browser or bot).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA_DIR = BASE_DIR / "var" / "load"
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", 200))
PORT = int(os.environ.get("LOAD_PORT", 8044))
AGENT = os.environ.get("LOAD_AGENT", "browser")
FILL = 0.97  # of the shared cache's MAX_MB of pages, before the run: where its shards begin to evict
LANGUAGES = ["zh-hans", "en"]
SEARCH_WORDS = {
    "zh-hans": [
        "吉林",
        "投资",
        "项目",
        "长春",
        "合作",
        "产业",
        "签约",
        "招商",
        "汽车",
        "政策",
        "旅游",
        "农业",
        "医药",
        "物流",
        "能源",
        "冰雪",
        "园区",
        "企业",
        "开放",
        "会议",
        "东北亚",
        "延边",
        "白城",
        "四平",
        "通化",
        "松原",
        "辽源",
        "白山",
        "吉林市",
        "新材料",
    ],
    "en": [
        "Jilin",
        "investment",
        "project",
        "Changchun",
        "cooperation",
        "industry",
        "signing",
        "automotive",
        "policy",
        "tourism",
        "agriculture",
        "medicine",
        "logistics",
        "energy",
        "snow",
        "park",
        "enterprise",
        "opening",
        "conference",
        "Northeast",
        "Asia",
        "Yanbian",
        "Baicheng",
        "Siping",
        "Tonghua",
        "Songyuan",
        "Liaoyuan",
        "Baishan",
        "materials",
    ],
}
KINDS = [("search", "/search/"), ("column", "/column/"), ("article", "/news/"), ("home", "")]


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_"))}
    # Behind a proxy, as in production: the reader's address is the X-Forwarded-For that wrk sends.
    env.update(DJANGO_DATA_DIR=str(DATA_DIR), DJANGO_HTTPS="false", DJANGO_BEHIND_PROXY="true")
    return env


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment(), check=True)


def prepare():
    """What ``make prepare`` does, in var/load/ (the secret key as the Makefile makes it)."""
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    secret = DATA_DIR / "secret_key"
    secret.write_text(__import__("secrets").token_urlsafe(50) + "\n")
    secret.chmod(0o600)
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_demo")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    fill_cache()


FILL_SCRIPT = """
from django.conf import settings
from django.core.cache import cache
page = "<p>页面</p>" * 1500  # about 15 KB pickled, as a page entry
limit = settings.CACHES["default"]["OPTIONS"]["MAX_MB"] * 2**20 * {fill}
number = 0
while cache.volume("pages") < limit and number < 10**6:
    for _ in range(500):
        cache.set(f"page3:fill:{{number}}", page, 86400)
        number += 1
print(number, "pages,", round(cache.volume("pages") / 2**20), "MB in the shared cache")
"""


def fill_cache():
    """The shared cache as a day of traffic leaves it: its pages store filled to 97% of its size
    limit (``MAX_MB``) with entries of 15 KB valid a day, where new pages begin to evict old ones."""
    manage("shell", "-c", FILL_SCRIPT.format(fill=FILL))


def fetch(path, address="10.255.255.254"):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-For": address})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def addresses():
    """The four kinds of page in both languages, read from the pages themselves."""
    paths = []
    for lang in LANGUAGES:
        home = fetch(f"/{lang}/")
        columns = sorted(set(re.findall(rf'href="(/{lang}/column/[\w-]+/)"', home)))
        articles = set(re.findall(rf'href="(/{lang}/news/\d+/[^"]*)"', home))
        for column in columns:
            articles |= set(re.findall(rf'href="(/{lang}/news/\d+/[^"]*)"', fetch(column)))
        searches = [f"/{lang}/search/?q={urllib.parse.quote(word)}" for word in SEARCH_WORDS[lang]]
        if not columns or not articles:
            raise SystemExit(f"found no column or article links on /{lang}/")
        paths += [f"/{lang}/", *columns, *sorted(articles), *searches]
    # Interleave the kinds, so that every stretch of the rotation has some of each.
    by_kind = {kind: [p for p in paths if kind_of(p) == kind] for kind, _ in KINDS}
    longest = max(len(v) for v in by_kind.values())
    return [v[i % len(v)] for i in range(longest) for v in by_kind.values()]


def kind_of(path):
    return next(kind for kind, marker in KINDS if marker in path)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    print(f"== preparing the demo in {DATA_DIR.relative_to(BASE_DIR)}")
    prepare()
    log = DATA_DIR / "access.log"
    # The command line of `make run`, but for the port and the access log's file.
    command = [
        str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
        "--access-logfile", str(log), "--forwarded-allow-ips", "127.0.0.1",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=BASE_DIR, env=environment(), stderr=open(DATA_DIR / "gunicorn.log", "w"))  # noqa: SIM115
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch("/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"gunicorn did not start; see {DATA_DIR}/gunicorn.log") from None
                time.sleep(0.3)
        paths = addresses()
        (DATA_DIR / "paths.txt").write_text("\n".join(paths) + "\n")
        for number, path in enumerate(paths):  # every page in the page cache, as after a few minutes of traffic
            fetch(path, address=f"10.254.{number // 250}.{number % 250 + 1}")
        log.write_text("")  # count only the load's answers
        print(f"== {CONNECTIONS} connections ({AGENT} requests) for {SECONDS} s over {len(paths)} addresses")
        wrk = subprocess.run(
            ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
             "-s", str(BASE_DIR / "tools" / "load.lua"), f"http://127.0.0.1:{PORT}",
             "--", str(DATA_DIR / "paths.txt"), AGENT],
            capture_output=True, text=True,
        )  # fmt: skip
        if wrk.returncode or "LOAD " not in wrk.stdout:
            raise SystemExit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
        load = json.loads(wrk.stdout.split("LOAD ", 1)[1])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    report(load, log, len(paths))


def report(load, log, addresses):
    by_kind = Counter()
    for line in log.read_text().splitlines():
        match = re.search(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) ', line)
        if match:
            by_kind[kind_of(match.group(1)), match.group(2)] += 1
    seconds = load["duration_us"] / 1e6
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"\n{load['requests']} requests in {seconds:.1f} s: {load['requests'] / seconds:.0f} req/s; latency p50 "
        f"{load['p50_us'] / 1000:.1f} ms, p90 {load['p90_us'] / 1000:.1f} ms, p99 {load['p99_us'] / 1000:.1f} ms, "
        f"max {load['max_us'] / 1000:.0f} ms; load average after the run {load_average}"
    )
    print(
        f"socket errors: connect {load['connect']}, read {load['read']}, write {load['write']}, "
        f"timeout {load['timeout']}"
    )
    print(f"answers by status (wrk): {dict(sorted(load['statuses'].items()))}")
    print("\n| page | " + " | ".join(s for s in sorted({s for _k, s in by_kind})) + " |")
    statuses = sorted({s for _k, s in by_kind})
    print("| --- | " + " | ".join("---:" for _ in statuses) + " |")
    for kind, _ in KINDS:
        print(f"| {kind} | " + " | ".join(str(by_kind[kind, s]) for s in statuses) + " |")
    bad = {(k, s): n for (k, s), n in by_kind.items() if s != "200" and not (k == "search" and s == "429")}
    wrk_bad = {s: n for s, n in load["statuses"].items() if s not in ("200", "429")}
    socket = load["connect"] + load["read"] + load["write"] + load["timeout"]
    if bad or wrk_bad or socket:
        raise SystemExit(f"FAILED: unexpected answers {bad or wrk_bad}, socket errors {socket}")
    print(f"\nOK: no 5xx, no error answers but the searches' intended 429s, no socket error ({addresses} addresses).")


if __name__ == "__main__":
    main()
