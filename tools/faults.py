"""Faults measured from outside, as an operator meets them: ``python tools/faults.py [name …]``.

Each scenario prepares the demo in its own temporary data folder, starts gunicorn as
``make run`` does (2 sync workers) and, where it needs one, a private redis-server on a free
port (never the shared one), breaks something, and prints one line of numbers. It speaks HTTP
only, so the same file measures any version of the portal (the "before" column of the issue's
table was taken by copying it into a worktree of main). Scenarios:

- ``hung-redis``: Redis stopped with SIGSTOP (listening, answering nothing): seconds per page.
- ``retraction``: Redis refusing (stopped, its keys kept) while an article is unpublished, then
  back: seconds until the article is gone from the home, column and article pages.
- ``full-disk``: the data folder a 48 MB tmpfs filled to the last byte (needs root): statuses.
- ``healthz``: ``/healthz`` while Redis refuses.
- ``poison``: one request with a 1.4 KB ``spm=``, then the bare column address: the length of
  its "next page" link and that link's status.
- ``script-name``: a ``SCRIPT_NAME: /evil`` header on ``/evil/en/``, then that address without it.
- ``search-limit``: 60 searches at once from one address on the file cache (limit 30).
- ``redis-memory``: Redis memory per page entry (2,000 distinct addresses).
- ``nul`` (needs ``DATABASE_URL``, PostgreSQL): a 404 path holding ``%00``.
- ``slowloris``: four clients sending their headers a line every 5 s, then one reader: to
  gunicorn directly (``make run``), and through docs/nginx.conf (needs nginx and openssl).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BROWSER = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_"))}
    env.update(DJANGO_DATA_DIR=str(data), DJANGO_HTTPS="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(40))
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)


def prepare(env):
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")


@contextmanager
def gunicorn(env):
    port = free_port()
    log = open(Path(env["DJANGO_DATA_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(base + "/en/", timeout=30)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(30)


class Redis:
    def __init__(self, folder):
        self.port, self.folder = free_port(), folder

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "3600 1",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True).stdout

    def stop(self):
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(20)


@contextmanager
def portal(redis=False, **extra):
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        data = Path(folder)
        server = None
        if redis:
            server = Redis(data)
            server.start()
            extra["REDIS_URL"] = f"redis://127.0.0.1:{server.port}/0"
        env = environment(data, **extra)
        prepare(env)
        try:
            with gunicorn(env) as base:
                yield base, env, server
        finally:
            if server:
                server.stop()


def timed(url, **kwargs):
    started = time.monotonic()
    try:
        status = requests.get(url, timeout=30, **kwargs).status_code
    except requests.RequestException as error:
        status = type(error).__name__
    return status, time.monotonic() - started


def hung_redis():
    with portal(redis=True) as (base, _env, redis):
        pages = ["/en/", "/zh-hans/", "/en/page/about/", "/en/search/?q=jilin"]
        for page in pages * 2:
            requests.get(base + page, timeout=30)
        redis.process.send_signal(signal.SIGSTOP)
        results = [timed(base + page) for page in pages * 5]
        redis.process.send_signal(signal.SIGCONT)
    seconds = sorted(s for _status, s in results)
    statuses = sorted({str(status) for status, _s in results})
    print(
        f"hung-redis: 20 pages, median {seconds[10]:.2f} s, max {seconds[-1]:.2f} s, "
        f"total {sum(seconds):.1f} s, statuses {statuses}"
    )


def retraction():
    with portal(redis=True) as (base, env, redis):
        home = requests.get(base + "/en/", timeout=30).text
        path, pk = re.search(r'href="(/en/news/(\d+)/[^"]+)"', home).groups()
        column = re.search(r'href="(/en/column/[\w-]+/)"', requests.get(base + path, timeout=30).text).group(1)
        pages = ["/en/", column, path]
        for page in pages * 4:
            requests.get(base + page, timeout=30)
        redis.stop()
        code = f"from news.models import Article; a = Article.objects.get(pk={pk}); a.status = 'draft'; a.save()"
        manage(env, "shell", "-c", code)
        redis.start()
        back, gone_since, limit = time.monotonic(), None, 60
        while time.monotonic() - back < limit:
            answers = [requests.get(base + page, timeout=30) for page in pages]
            gone = answers[2].status_code == 404 and all(f"/news/{pk}/" not in a.text for a in answers[:2])
            gone_since = (gone_since or time.monotonic() - back) if gone else None
            if gone_since is not None and time.monotonic() - back > gone_since + 12:
                break
            time.sleep(0.2)
    if gone_since is None:
        print(f"retraction: the unpublished article still served {limit} s after Redis came back")
    else:
        print(f"retraction: gone from every page {gone_since:.1f} s after Redis came back")


def full_disk():
    with tempfile.TemporaryDirectory(prefix="faults-disk-") as folder:
        data = Path(folder)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", folder], capture_output=True).returncode:
            print("full-disk: skipped (cannot mount a tmpfs; needs root)")
            return
        try:
            env = environment(data, PORTAL_VISIT_FLUSH_SECONDS="0")
            prepare(env)
            with gunicorn(env) as base:
                cached = ["/en/", "/zh-hans/", "/en/page/about/"]
                for page in cached * 3:
                    requests.get(base + page, timeout=30)
                for size in (1 << 20, 4096, 1):
                    with open(data / f"filler-{size}", "wb", buffering=0) as out:
                        try:
                            while True:
                                out.write(b"\0" * size)
                        except OSError:
                            pass
                statuses = {}
                for number, page in enumerate([*cached, "/en/search/?q=full", "/zh-hans/page/about/"] * 2):
                    headers = {**BROWSER, "X-Forwarded-For": f"198.51.100.{number}"}
                    status = requests.get(base + page, headers=headers, timeout=30).status_code
                    statuses[status] = statuses.get(status, 0) + 1
            print(f"full-disk: 10 reader pages (6 cached) on a full data folder: {statuses}")
        finally:
            subprocess.run(["umount", "-l", folder], check=False)


def healthz():
    with portal(redis=True) as (base, _env, redis):
        redis.stop()
        time.sleep(0.5)
        pages = [requests.get(base + "/en/", timeout=30).status_code for _ in range(3)]
        health = requests.get(base + "/healthz", timeout=30).status_code
        status = requests.get(base + "/healthz/status", timeout=30).status_code
        redis.start()
    print(f"healthz: Redis refusing: pages {pages}, /healthz {health}, /healthz/status {status}")


def poison():
    with portal() as (base, _env, _redis):
        column = re.search(r'href="(/en/column/[\w-]+/)"', requests.get(base + "/en/", timeout=30).text).group(1)
        # Enough articles for a second page of the column.
        code = (
            "from news.models import Article, Column\n"
            "from django.utils import timezone\n"
            f"c = Column.objects.get(slug='{column.split('/')[-2]}')\n"
            "for n in range(25):\n"
            "    Article.objects.create(column=c, title_en=f'Paged {n}', body_en='<p>x</p>', title_zh_hans=f'分页{n}',"
            " body_zh_hans='<p>x</p>', status='published', publish_at=timezone.now(), slug=f'paged-{n}')\n"
        )
        manage(_env, "shell", "-c", code)
        requests.get(base + column + "?spm=" + "x" * 1400, timeout=30)
        page = requests.get(base + column, timeout=30).text
        found = re.search(r'href="([^"]*)" rel="next"', page)
        link = found.group(1).replace("&amp;", "&") if found else ""
        target = link if link.startswith("/") else column + link
        status = requests.get(base + target, timeout=30).status_code if link else None
    print(f"poison: next link of the bare column address {len(link)} characters, answers {status}")


def script_name():
    with portal() as (base, _env, _redis):
        requests.get(base + "/evil/en/", headers={"SCRIPT_NAME": "/evil"}, timeout=30)
        # Afterwards, anyone asking for the made-up address, without the header:
        fake = requests.get(base + "/evil/en/", timeout=30)
    print(f"script-name: then GET /evil/en/ answers {fake.status_code}, {fake.text.count('/evil/')} links under /evil/")


def search_limit():
    with portal() as (base, _env, _redis), ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(lambda n: requests.get(f"{base}/en/search/?q=w{n}", timeout=60).status_code, range(60))
        )
    answered = statuses.count(200)
    print(f"search-limit: 60 searches at once from one address (limit 30): {answered} answered 200")


def redis_memory():
    # No miss limit: its counters would be counted as entries (the portal before issue 17 had none).
    with portal(redis=True, DJANGO_BEHIND_PROXY="true", PORTAL_MISS_RATE_PER_MINUTE="0") as (base, _env, redis):
        requests.get(base + "/en/", timeout=30)
        before = int(re.search(r"used_memory:(\d+)", redis.cli("info", "memory")).group(1))
        keys_before = int(redis.cli("dbsize").strip())
        for n in range(2000):
            requests.get(f"{base}/en/?n={n}", headers={"X-Forwarded-For": f"10.1.{n // 250}.{n % 250}"}, timeout=30)
        after = int(re.search(r"used_memory:(\d+)", redis.cli("info", "memory")).group(1))
        keys = int(redis.cli("dbsize").strip()) - keys_before
    grown = after - before
    print(f"redis-memory: {keys} new keys, {grown / 2**20:.1f} MiB, {grown / max(keys, 1) / 1024:.1f} KiB a key")


def nul():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("nul: skipped (set DATABASE_URL to a PostgreSQL database of your own; it is migrated and filled)")
        return
    with portal(DATABASE_URL=url) as (base, _env, _redis):
        status = requests.get(base + "/en/no-such-page/%00", timeout=30).status_code
    print(f"nul: /en/no-such-page/%00 on PostgreSQL answers {status}")


class SlowClients:
    """``count`` connections that send a request's headers one line every 5 s and never finish."""

    def __init__(self, host, port, count=4, tls=False):
        import ssl
        import threading

        self.sockets, self.stop = [], threading.Event()
        for _ in range(count):
            raw = socket.create_connection((host, port), timeout=60)
            if tls:
                context = ssl.create_default_context()
                context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
                raw = context.wrap_socket(raw, server_hostname="invest.example.gov.cn")
            raw.sendall(b"GET /en/ HTTP/1.1\r\nHost: invest.example.gov.cn\r\n")
            self.sockets.append(raw)
        self.thread = threading.Thread(target=self.drip, daemon=True)
        self.thread.start()

    def drip(self):
        number = 0
        while not self.stop.wait(5):
            number += 1
            for raw in self.sockets:
                with suppress(OSError):
                    raw.sendall(f"X-Slow-{number}: 1\r\n".encode())

    def close(self):
        self.stop.set()
        for raw in self.sockets:
            raw.close()


def nginx_config(folder, upstream_port, https_port):
    """docs/nginx.conf with its ports, paths and certificate changed, in a main file of its own."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (BASE_DIR / "docs" / "nginx.conf").read_text()
    for old, new in (
        ("127.0.0.1:8000", f"127.0.0.1:{upstream_port}"),
        ("/etc/ssl/portal/fullchain.pem", str(folder / "cert.pem")),
        ("/etc/ssl/portal/privkey.pem", str(folder / "key.pem")),
        ("/var/cache/nginx/portal", str(folder / "cache")),
        ("/srv/portal/var/", str(folder / "data") + "/"),
        ("listen 80;", f"listen {free_port()};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen {https_port} ssl;"),
        ("listen [::]:443 ssl http2;", ""),
    ):
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        # Its workers must read the temporary folder (0700, the caller's) when run as root.
        ("user root; " if os.geteuid() == 0 else "")
        + f"pid {folder}/nginx.pid; error_log {folder}/error.log; daemon off; events {{}}\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; include {folder}/site.conf; }}\n"
    )
    return main


def reader(url, **kwargs):
    started = time.monotonic()
    try:
        status = requests.get(url, timeout=20, **kwargs).status_code
    except requests.RequestException as error:
        status = type(error).__name__
    return f"{status} in {time.monotonic() - started:.1f} s"


def slowloris():
    extra = {"DJANGO_ALLOWED_HOSTS": "invest.example.gov.cn,127.0.0.1", "DJANGO_BEHIND_PROXY": "true"}
    with portal(**extra) as (base, env, _redis):
        port = int(base.rsplit(":", 1)[1])
        slow = SlowClients("127.0.0.1", port)
        time.sleep(1)
        direct = reader(base + "/en/")
        slow.close()
        results = [f"gunicorn directly: a reader gets {direct}"]
        if shutil.which("nginx") and shutil.which("openssl"):
            folder = Path(env["DJANGO_DATA_DIR"]) / "nginx"
            (folder / "cache").mkdir(parents=True)
            https = free_port()
            config = nginx_config(folder, port, https)
            server = subprocess.Popen(["nginx", "-c", str(config)], stderr=subprocess.DEVNULL)
            time.sleep(1)
            try:
                slow = SlowClients("127.0.0.1", https, tls=True)
                time.sleep(1)
                host = {"Host": "invest.example.gov.cn"}
                proxied = reader(f"https://127.0.0.1:{https}/en/", headers=host, verify=False)
                slow.close()
            finally:
                server.terminate()
                server.wait(10)
            results.append(f"through docs/nginx.conf: {proxied}")
    print("slowloris: 4 slow clients, then " + "; ".join(results))


SCENARIOS = {
    "hung-redis": hung_redis,
    "retraction": retraction,
    "full-disk": full_disk,
    "healthz": healthz,
    "poison": poison,
    "script-name": script_name,
    "search-limit": search_limit,
    "redis-memory": redis_memory,
    "nul": nul,
    "slowloris": slowloris,
}


if __name__ == "__main__":
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is needed")
    for name in sys.argv[1:] or SCENARIOS:
        SCENARIOS[name]()
