"""CPU per request of one page, rendered cold, in this process: no server, no network, no wrk.

    .venv/bin/python bench/inprocess.py PATH [REQUESTS] [--profile] [--warm | --after-edit] [--browser [--returning]]

Calls the WSGI application (portal/wsgi.py) in a loop with the page cache off (``--warm``: on, so
every request after the first is a page-cache hit, answered by the fast path), on a corpus that
``make bench`` built (``var/bench-10000-sqlite`` unless ``DJANGO_DATA_DIR`` names another), and
prints the CPU and wall time per request after 20 warm-up requests. Steadier than wrk on a shared
machine for comparing two versions of the code: run it on each, in turns. ``--profile`` adds
cProfile's 40 most expensive calls (inclusive time).

``--after-edit`` makes a new content version before every request, as a save by an editor does
(``bump_content_version``, outside the timing): what is kept per content version (the chrome,
the choices, live figures) is computed again each time; what is kept per object (the cards of
``news/pagecache/fragments.py``) is not, since the objects did not change. This is the cold cost
a reader pays on the first request after an edit; without it, the cold figures are those of a
site whose content has not changed since the process started (the harness's ``ours-cold`` rows).

``--browser`` sends what a browser sends (bench/run.py's ``BROWSER_HEADERS``: a User-Agent, so a
hit counts a visit) from a different address on every request: many readers, each a first visit.
``--returning``: with ``--browser``, every request from one address, as make bench's *warm, browser*
rows (wrk from one address): the first visit is counted, the repeats are recognised and not.
"""

import cProfile
import io
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_DATA_DIR", str(ROOT / "var" / "bench-10000-sqlite"))
os.environ.update(
    DJANGO_SECRET_KEY="bench-only-not-a-secret",
    DJANGO_HTTPS="false",
    DJANGO_CACHE_PREFIX="bench",
    PORTAL_PAGE_CACHE_SECONDS="600" if "--warm" in sys.argv else "0",
    PORTAL_SEARCH_RATE_PER_MINUTE="0",
)
sys.path.insert(0, str(ROOT))

from bench.run import BROWSER_HEADERS  # noqa: E402
from portal.wsgi import application  # noqa: E402

# --browser: each request from another address (--returning: all from one)
READERS = itertools.repeat(1) if "--returning" in sys.argv else itertools.count(1)


def request(path):
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8041",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8041",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if "--browser" in sys.argv:
        reader = next(READERS)
        environ["REMOTE_ADDR"] = f"10.{reader >> 16 & 255}.{reader >> 8 & 255}.{reader & 255}"
        environ.update(("HTTP_" + name.upper().replace("-", "_"), value) for name, value in BROWSER_HEADERS.items())
    status = []
    answer = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        body = b"".join(answer)
    finally:
        # As a WSGI server does (PEP 3333): Django sends request_finished from close().
        if hasattr(answer, "close"):
            answer.close()
    return status[0], len(body)


FLAGS = ("--profile", "--warm", "--after-edit", "--browser", "--returning")


def main():
    arguments = [argument for argument in sys.argv[1:] if argument not in FLAGS]
    if not arguments:
        raise SystemExit(__doc__)
    path, count = arguments[0], int(arguments[1]) if len(arguments) > 1 else 500
    print(path, *request(path))
    for _ in range(20):
        request(path)
    if "--after-edit" in sys.argv:
        from news.pagecache.version import bump_content_version

        cpu = wall = 0.0
        for _ in range(count):
            bump_content_version()
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            request(path)
            cpu += time.process_time() - started_cpu
            wall += time.perf_counter() - started_wall
    else:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            request(path)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{1000 * cpu / count:.2f} ms CPU, {1000 * wall / count:.2f} ms wall per request ({count} requests)")
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(lambda: [request(path) for _ in range(count)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
