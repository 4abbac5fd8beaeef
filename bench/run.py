"""``make bench``: how fast the portal answers, against the same bytes served as a static file.

1. Builds a throw-away data folder ``var/bench-<N>-<database>/``: migrate, the demo's columns and
   pages, ``N`` generated bilingual articles (bench/corpus.py), collectstatic. A folder that
   already holds the corpus is reused; delete it to start over.
2. Starts the portal as ``make run`` does (gunicorn, 2 sync workers, DEBUG off; without the access
   log) with the page cache off, and measures every page *cold* with wrk over loopback.
3. Saves the exact bytes of every page as a file under STATIC_ROOT, restarts with the page cache
   on, and measures each page *warm*, warm again with a browser's headers (*warm, browser*:
   User-Agent and Accept-Language, so the hit counts a visit as a reader's does), and its bytes
   as a file through two baselines: *static*, the portal's own Django stack (whitenoise as a
   middleware, after the security middlewares), and *whitenoise alone*, a second gunicorn with
   nothing but whitenoise (bench/whitenoise_alone.py, the shared harness's ``static-whitenoise``
   row, issue 18).
4. Each page also takes a short burst of 200 connections; errors and p99 are reported.
5. Prints the table and writes it, with the machine and the query plans, to docs/benchmarks.md
   (between markers, so the notes around it stay).

Environment: ``N`` (10000), ``BENCH_SECONDS`` (5 per measurement), ``BENCH_CONNECTIONS`` (50),
``BENCH_PORT`` (8041; 8041 to 8043 are used), ``BENCH_PAGES`` (only these rows, comma-separated names
or name:lang, e.g. ``home:zh-hans,article``: prints the table and leaves docs/benchmarks.md as it
is), ``BENCH_DATABASE_URL`` (a *throw-away*
PostgreSQL database, emptied first; SQLite otherwise), ``BENCH_REDIS_URL`` (a throw-away Redis
database, flushed; the file cache otherwise).
"""

import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "benchmarks.md"

N = int(os.environ.get("N", 10000))
SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 50))
BURST = 200
PORT = int(os.environ.get("BENCH_PORT", 8041))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
# BENCH_PAGES: the rows to measure ("home", "home:zh-hans", …); all of them when empty.
ONLY = {item.strip() for item in os.environ.get("BENCH_PAGES", "").split(",") if item.strip()}
DATABASE = "postgresql" if DATABASE_URL.startswith("postgres") else "sqlite"
CACHE = "redis" if REDIS_URL else "file"
DATA = ROOT / "var" / f"bench-{N}-{DATABASE}"
TICKS = os.sysconf("SC_CLK_TCK")
# The row of up to 1,000 different articles, each request another (bench/corpus.py, VARIED_ARTICLES).
VARIED = "articles ×1000"
BROWSER = "warm, browser"  # the warm row again, with BROWSER_HEADERS
ALONE = "whitenoise alone"  # the page's bytes from a gunicorn with whitenoise alone (bench/whitenoise_alone.py)
ALONE_BROWSER = "whitenoise alone, browser"  # the same, asked with BROWSER_HEADERS: the browser row's baseline
# What a browser sends besides the address: a reader's hit counts a visit (a repeat from the same
# address is recognised and not counted again) and may be negotiated by language.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
}


def environment(page_cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_"))}
    env.update(
        DJANGO_DATA_DIR=str(DATA),
        DJANGO_SECRET_KEY="bench-only-not-a-secret",
        DJANGO_HTTPS="false",
        DJANGO_CACHE_PREFIX="bench",
        PORTAL_PAGE_CACHE_SECONDS="600" if page_cache else "0",
        # Every search from wrk comes from one address: without this, all but 30 a minute
        # would be the rate limit's 429 (make load measures the limit; this measures search).
        PORTAL_SEARCH_RATE_PER_MINUTE="0",
    )
    if DATABASE_URL:
        env["DATABASE_URL"] = DATABASE_URL
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(*args, capture=False):
    command = [sys.executable, *args] if args[0].endswith(".py") else [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=ROOT, env=environment(True), check=True, text=True, capture_output=capture)
    return result.stdout


def prepare():
    marker = DATA / f"corpus-{N}.done"
    if marker.exists():
        print(f"== reusing the corpus in {DATA}")
        return
    print(f"== building a corpus of {N} articles in {DATA} ({DATABASE})")
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    if DATABASE_URL:
        import psycopg

        with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_demo")
    manage("bench/corpus.py", "generate", str(N))
    marker.write_text(datetime.now(UTC).isoformat())


def clear_cache():
    shutil.rmtree(DATA / "shared-cache", ignore_errors=True)
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


# --- the server -----------------------------------------------------------------------


class Server:
    """gunicorn with 2 sync workers: the portal, or with ``alone`` whitenoise alone serving ``alone``."""

    def __init__(self, port, page_cache, alone=None):
        self.port, self.page_cache, self.alone = port, page_cache, alone

    def __enter__(self):
        clear_cache()
        try:
            return self.start()
        except BaseException:
            self.__exit__()
            raise

    def start(self):
        application, env = ["portal.wsgi"], environment(self.page_cache)
        if self.alone:
            application = ["whitenoise_alone:application", "--chdir", str(ROOT / "bench")]
            env["BENCH_STATIC_DIR"] = str(self.alone)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), *application, "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(DATA / f"gunicorn-{self.port}.log", "w"),  # noqa: SIM115 - closed with the process
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/drain.txt" if self.alone else "/zh-hans/"), timeout=30).read()
                if len(self.workers()) == 2:
                    return self
            except OSError:  # refused while starting, or a first page slow on a loaded machine
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start; see {DATA}/gunicorn-{self.port}.log")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def cpu_seconds(self):
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def worker_rss_mb(self):
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return max(sizes)


# --- wrk --------------------------------------------------------------------------------


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(server, url, connections, seconds, paths=None, headers=None):
    """wrk on ``url``; with ``paths`` (a file of addresses), on each of them in turn (bench/paths.lua);
    with ``headers`` ({name: value}), sent with every request."""
    before = server.cpu_seconds()
    script = ["-s", str(ROOT / "bench" / "paths.lua")] if paths else []
    script += [argument for name, value in (headers or {}).items() for argument in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", *script, url],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_PATHS": str(paths or "")},
    ).stdout
    cpu = server.cpu_seconds() - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    socket = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = (sum(map(int, socket.groups())) if socket else 0) + (int(non2xx.group(1)) if non2xx else 0)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "errors": errors,
    }


def drain(server):
    """Wait until requests queued by the last run (wrk closes its sockets, gunicorn still
    answers what it accepted) are done, so that they do not slow the next measurement."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            fetch(server.url("/drain.txt" if server.alone else "/static/bench/drain.txt"))
        except OSError:  # still busy past the timeout: wait on
            continue
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def load_average():
    return float(Path("/proc/loadavg").read_text().split()[0])


def measure(server, url, paths=None, headers=None):
    drain(server)
    load = load_average()
    result = wrk(server, url, CONNECTIONS, SECONDS, paths, headers)
    result["load"] = max(load, load_average())
    drain(server)
    burst = wrk(server, url, BURST, max(6, SECONDS), paths, headers)  # longer than the 5 s timeout
    result["burst_errors"], result["burst_p99"] = burst["errors"], burst["p99"]
    return result


# --- the run ----------------------------------------------------------------------------


def pages():
    info = json.loads(manage("bench/corpus.py", "info", capture=True).strip().splitlines()[-1])
    for lang in ("zh-hans", "en"):
        query = "吉林" if lang == "zh-hans" else "investment"
        yield "home", lang, f"/{lang}/"
        yield "column p1", lang, f"/{lang}/column/investment-dynamics/"
        yield f"column p{info[lang]['deep']}", lang, f"/{lang}/column/investment-dynamics/?page={info[lang]['deep']}"
        yield "article", lang, info[lang]["article"]
        # A different article on each request: nothing of one article is left from the last.
        varied = DATA / f"articles-{lang}.txt"
        varied.write_text("\n".join(info[lang]["articles"]) + "\n")
        yield VARIED, lang, info[lang]["article"], varied
        yield "feed", lang, f"/{lang}/feed/"
        yield "search", lang, f"/{lang}/search/?q={urllib.request.quote(query)}"
        # The project library (issue 15): the list and a project of the demo's.
        yield "projects", lang, f"/{lang}/projects/"
        if info[lang]["project"]:
            yield "project", lang, info[lang]["project"]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def commit():
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return (result.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    database = manage("bench/corpus.py", "database", capture=True).strip()
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {database}; cache: {CACHE}; {wrk_version}"
    )


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    prepare()
    manage("collectstatic", "--noinput", "--verbosity", "0")
    every = list(pages())
    targets = [target for target in every if not ONLY or {target[0], f"{target[0]}:{target[1]}"} & ONLY]
    named = {name for target in every for name in (target[0], f"{target[0]}:{target[1]}")}
    if ONLY - named:
        raise SystemExit(f"BENCH_PAGES names no row: {sorted(ONLY - named)}; the rows: {sorted(named)}")
    static_dir = DATA / "static" / "bench"
    shutil.rmtree(static_dir, ignore_errors=True)
    static_dir.mkdir(parents=True)
    results, skipped, measured = {}, [], []

    print("== saving the bytes of every page")
    with Server(PORT, page_cache=False) as server:
        for name, lang, path, *paths in targets:
            status, content_type, body = fetch(server.url(path))
            if status != 200:
                skipped.append(f"{name} ({lang}) `{path}` answered {status}: not measured")
                continue
            extension = "xml" if "xml" in content_type else "html"
            static_name = f"{re.sub('[^a-z0-9]+', '-', name)}-{lang}.{extension}"  # an address wrk can send
            (static_dir / static_name).write_bytes(body)
            measured.append((name, lang, path, static_name, *paths))
    (static_dir / "drain.txt").write_bytes(b"ok")

    # Each page right after its static file, in the same server, so that a change in the
    # machine's load between rows (it is shared) shifts both alike.
    rss = {}
    for mode, page_cache, port in (("cold", False, PORT), ("warm", True, PORT + 1)):
        print(f"== {mode}: page cache {'on' if page_cache else 'off'}, {CONNECTIONS} connections, {SECONDS} s each")
        with contextlib.ExitStack() as servers:
            server = servers.enter_context(Server(port, page_cache=page_cache))
            alone = servers.enter_context(Server(PORT + 2, False, alone=static_dir)) if page_cache else None
            for name, lang, path, static_name, *paths in measured:
                if paths and page_cache:
                    continue  # measured cold only: warm, it is a thousand page-cache hits
                if page_cache:
                    fetch(server.url(path))
                    hit = urllib.request.urlopen(server.url(path)).headers.get("X-Page-Cache")
                    if hit != "hit":
                        skipped.append(f"{name} ({lang}) was not answered from the cache (X-Page-Cache: {hit})")
                results[(name, lang, f"static/{mode}")] = measure(server, server.url(f"/static/bench/{static_name}"))
                results[(name, lang, mode)] = measure(server, server.url(path), *paths)
                static, page = results[(name, lang, f"static/{mode}")]["rps"], results[(name, lang, mode)]["rps"]
                print(f"  {name:12} {lang:8} {mode:5} {page:8.0f} req/s   static {static:8.0f} req/s")
                if alone:
                    results[(name, lang, BROWSER)] = measure(server, server.url(path), headers=BROWSER_HEADERS)
                    results[(name, lang, ALONE)] = measure(alone, alone.url(f"/{static_name}"))
                    results[(name, lang, ALONE_BROWSER)] = measure(
                        alone, alone.url(f"/{static_name}"), headers=BROWSER_HEADERS
                    )
                    page, alone_rps = results[(name, lang, BROWSER)]["rps"], results[(name, lang, ALONE_BROWSER)]["rps"]
                    print(f"  {name:12} {lang:8} {BROWSER} {page:8.0f} req/s   {ALONE_BROWSER} {alone_rps:8.0f} req/s")
            rss[mode] = server.worker_rss_mb()
    cold_rss, warm_rss = rss["cold"], rss["warm"]

    report = render(measured, results, skipped, cold_rss, warm_rss)
    print(report)
    if not ONLY:  # a few rows are a check, not the page's record
        write(report)


def render(measured, results, skipped, cold_rss, warm_rss):
    title = f"N = {N:,} articles · {DATABASE} · {CACHE} cache"
    command = "make bench" + (f" N={N}" if N != 10000 else "")
    if DATABASE_URL:
        command = f"BENCH_DATABASE_URL=postgres://… {command}"
    if REDIS_URL:
        command = f"BENCH_REDIS_URL=redis://… {command}"
    lines = [
        f"### {title}",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()} with `{command}`: "
        "gunicorn with 2 sync workers, "
        f"wrk over loopback, {CONNECTIONS} connections for {SECONDS} s per row, then a burst of {BURST} "
        f"connections. Machine: {machine()}.",
        "",
        "Each page is measured right after the same bytes as a static file (`static/…` rows), in the same "
        "server; × static is the ratio of req/s to the row above it, *by CPU* the ratio of its server CPU per "
        "request to this row's (steadier on a shared machine). *cold*: the page cache is off; what "
        "every page shares is still kept as in production: the visit total, a column's archive months and "
        "count in the shared cache, the header, menu and footer per content version, addresses and "
        "compiled queries in each process (nothing rendered for one article is kept); *warm*: served by the "
        "page cache; wrk sends no User-Agent, so no visit is counted. "
        f"*{BROWSER}*: the same hits with a browser's User-Agent, Accept-Language, Accept and Accept-Encoding "
        "(the first request of each worker counts a visit; the repeats from the same address are recognised "
        f"and not counted). *{ALONE}*: the page's bytes as a file from a second gunicorn (2 sync workers) with "
        "nothing but whitenoise in it (bench/whitenoise_alone.py), the `static-whitenoise` row of issue 18's "
        "harness; × whitenoise alone is the ratio of the warm rows' req/s to it, *by CPU* of its CPU per "
        f"request to theirs; *{ALONE_BROWSER}*: the same file asked with the browser's headers, which gunicorn "
        f"parses for whitenoise too (about 5 % fewer req/s than without): the *{BROWSER}* row is compared with "
        "it, the same request to both. Two baselines, then: *static* (× static) is a file through the portal's "
        f"own Django stack, its security middlewares and whitenoise as a middleware; *{ALONE}* is the physical "
        "limit of this gunicorn. Search is measured with its rate limit off (`make load` measures the limit). "
        f"*{VARIED}*: a different article on each request, from up to 1,000 spread over the corpus "
        "(bench/paths.lua), against the static bytes of the *article* row; cold only, and no target: it "
        "shows what the cold article's figure owes to being one article (its read count and addresses "
        "stay remembered, its rows in the database's cache). "
        "*load*: the machine's 1-minute load average around the row (it is shared).",
        "",
        "| page | lang | mode | req/s | p50 ms | p99 ms | CPU ms/req | × static | × static by CPU | "
        f"× {ALONE} | × {ALONE} by CPU | errors | errors @{BURST} | p99 ms @{BURST} | load |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    checks = []
    for name, lang, *_rest in measured:
        for mode in ("static/cold", "cold", "static/warm", "warm", BROWSER, ALONE, ALONE_BROWSER):
            # Each warm row beside whitenoise alone asked the same way (the browser row with its headers).
            alone = results.get((name, lang, ALONE_BROWSER if mode == BROWSER else ALONE))
            if (name, lang, mode) not in results:
                continue
            r = results[(name, lang, mode)]
            kind = "cold" if mode.endswith("cold") else "warm"
            baseline = results[(name, lang, f"static/{kind}")]
            static = baseline["rps"]
            ratio = r["rps"] / static if static else 0
            cpu_ratio = baseline["cpu_ms"] / r["cpu_ms"] if r["cpu_ms"] else 0
            by_alone = by_alone_cpu = ""
            if alone and kind == "warm" and mode != f"static/{kind}":
                by_alone = f"{r['rps'] / alone['rps']:.2f}"
                by_alone_cpu = f"{alone['cpu_ms'] / r['cpu_ms']:.2f}" if r["cpu_ms"] else "0"
            lines.append(
                f"| {name} | {lang} | {mode} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                f"{r['cpu_ms']:.2f} | {ratio:.2f} | {cpu_ratio:.2f} | {by_alone} | {by_alone_cpu} | "
                f"{r['errors']} | {r['burst_errors']} | {r['burst_p99']:.0f} | {r['load']:.1f} |"
            )
            if mode == "warm":
                measured = f"{ratio:.2f} (by CPU {cpu_ratio:.2f})"
                target = f"warm {name} ({lang}) ≥ 0.8 × static (the portal's Django stack)"
                checks.append((target, ratio >= 0.8, measured))
            if mode in ("warm", BROWSER) and alone:
                met = float(by_alone) >= 0.8 and float(by_alone_cpu) >= 0.8
                baseline_name = ALONE_BROWSER if mode == BROWSER else ALONE
                checks.append((f"{mode} {name} ({lang}) ≥ 0.8 × {baseline_name}, req/s and CPU", met,
                               f"{by_alone} (by CPU {by_alone_cpu})"))  # fmt: skip
            if mode == "cold" and name == "article":
                measured = f"{ratio:.2f} (by CPU {cpu_ratio:.2f})"
                checks.append((f"cold {name} ({lang}) ≥ 0.15 × static", ratio >= 0.15, measured))
    for lang in ("zh-hans", "en"):
        article = results.get(("article", lang, "cold"))
        for name in ("projects", "project"):
            page = results.get((name, lang, "cold"))
            if article and page and article["cpu_ms"]:
                within = page["cpu_ms"] / article["cpu_ms"]
                checks.append(
                    (f"cold {name} ({lang}) CPU per request within 1.5 × the cold article's", within <= 1.5,
                     f"{within:.2f} × ({page['cpu_ms']:.2f} / {article['cpu_ms']:.2f} ms)")
                )  # fmt: skip
        first = results.get(("column p1", lang, "cold"))
        deep = next(
            (k for k in results if k[0].startswith("column p") and k[0] != "column p1" and k[1:] == (lang, "cold")),
            None,
        )
        if first and deep:
            slower = first["rps"] / results[deep]["rps"]
            checks.append((f"cold {deep[0]} ({lang}) within 1.5 × of page 1", slower <= 1.5, f"{slower:.2f} ×"))
    errors = sum(r["errors"] + r["burst_errors"] for r in results.values())
    checks.append((f"no errors under {BURST} connections", errors == 0, str(errors)))
    rss = max(cold_rss, warm_rss)
    checks.append(("gunicorn worker memory < 150 MB", rss < 150, f"{rss:.0f} MB"))
    lines += ["", "| target | met | measured |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in checks]
    if skipped:
        lines += ["", "Not measured:", *[f"- {line}" for line in skipped]]
    if not ONLY:
        lines += ["", "<details><summary>Query plans and times of the reader queries</summary>", ""]
        lines += [manage("bench/corpus.py", "plans", capture=True).strip(), "", "</details>"]
    return "\n".join(lines)


def write(report):
    start, end = f"<!-- bench {N} {DATABASE} {CACHE} -->", f"<!-- /bench {N} {DATABASE} {CACHE} -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nWritten by `make bench` (bench/run.py).\n"
    block = f"{start}\n{report}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    print(f"== written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
