"""What one write to the embedded cache costs as it fills: 1,000, 10,000 and 100,000 entries.

    .venv/bin/python bench/cache_writes.py [ENTRIES …] [--writes N]

For each backend and size, a fresh folder under var/bench-cache/ is filled with ``ENTRIES``
entries of 2 KB valid for a day (as a day of traffic leaves it), then ``--writes`` (200) pages
of 15 KB are stored under new keys, one at a time, and a rate-limit counter is added and
incremented as many times; it prints the median and 99th percentile of one ``set`` and of one
``incr`` in milliseconds, and the size of the folder. Wall time in this process, nothing else
running in it; run it twice on a shared machine. The backends:

- ``file``: Django's ``FileBasedCache`` (the embedded default before issue 17), with
  ``MAX_ENTRIES`` above the size so that no write culls: what every write pays for listing the
  folder (past ``MAX_ENTRIES`` a write also deletes a third of the entries, at random).
- ``database``: Django's ``DatabaseCache`` on a SQLite file of its own (every write counts the
  table's rows, and culls by key order past ``MAX_ENTRIES``).
- ``diskcache``: diskcache's ``DjangoCache`` as it comes (8 shards, 10 ms lock timeout).
- ``portal``: ``news.operations.sharedcache.DiskCache``, the embedded default now (diskcache in
  two stores, pages and state; portal/settings.py).
"""

import argparse
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = ROOT / "var" / "bench-cache"
DAY = 86400
FILLER = "x" * 2000
PAGE = "<p>页面</p>" * 1500  # about 15 KB pickled, as a page entry

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(FOLDER / "database-cache.sqlite3")}},
    PORTAL_CACHE_RETRY_SECONDS=5,
    USE_TZ=True,
)
django.setup()

from django.core.cache.backends.db import DatabaseCache  # noqa: E402
from django.core.cache.backends.filebased import FileBasedCache  # noqa: E402
from django.db import connection  # noqa: E402

from news.operations.sharedcache import DiskCache  # noqa: E402


def file_cache(folder, entries):
    cache = FileBasedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": entries * 10}})
    cache.set("model", FILLER, DAY)
    model = next(folder.glob("*.djcache"))
    for _ in range(entries - 1):
        shutil.copyfile(model, folder / f"{secrets.token_hex(16)}.djcache")
    return cache


def database_cache(folder, entries):
    from django.core.management import call_command

    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_cache")
    call_command("createcachetable", "bench_cache", verbosity=0)
    cache = DatabaseCache("bench_cache", {"OPTIONS": {"MAX_ENTRIES": entries * 10}})
    cache.set("model", FILLER, DAY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, expires FROM bench_cache")
        value, expires = cursor.fetchone()
        rows = [(f":1:{secrets.token_hex(16)}", value, expires) for _ in range(entries - 1)]
        cursor.executemany("INSERT INTO bench_cache (cache_key, value, expires) VALUES (%s, %s, %s)", rows)
    return cache


def fill_diskcache(cache, entries, prefix):
    for number in range(entries):
        cache.set(f"{prefix}{number}", FILLER, DAY)


def diskcache_cache(folder, entries):
    from diskcache import DjangoCache

    cache = DjangoCache(str(folder), {})
    fill_diskcache(cache, entries, "fill:")
    return cache


def portal_cache(folder, entries):
    cache = DiskCache(str(folder), {"OPTIONS": {"MAX_MB": 1024}})
    # Most entries are pages; the counters and the content version live in the other store.
    fill_diskcache(cache, entries, "page3:fill:")
    return cache


BACKENDS = {"file": file_cache, "database": database_cache, "diskcache": diskcache_cache, "portal": portal_cache}


def milliseconds(samples):
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000


def folder_size(folder):
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(name, entries, writes):
    folder = FOLDER / f"{name}-{entries}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.monotonic()
    cache = BACKENDS[name](folder, entries)
    filled = time.monotonic() - started
    sets, incrs = [], []
    for number in range(writes):
        key = f"page3:{number}:{secrets.token_hex(8)}"
        started = time.perf_counter()
        stored = cache.set(key, PAGE, 600)
        sets.append(time.perf_counter() - started)
        assert stored is not False and cache.get(key) == PAGE, (name, stored)
        counter = f"ratelimit:miss:10.0.{number % 250}.1:{number // 50}"
        started = time.perf_counter()
        cache.add(counter, 0, 65)
        cache.incr(counter)
        incrs.append(time.perf_counter() - started)
    size = folder_size(folder) if name != "database" else Path(settings.DATABASES["default"]["NAME"]).stat().st_size
    shutil.rmtree(folder, ignore_errors=True)
    return milliseconds(sets), milliseconds(incrs), size, filled


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("entries", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    arguments = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"{arguments.writes} writes of a 15 KB page each, load average {load_average}, {os.cpu_count()} cores\n")
    print("| backend | entries | set p50 | set p99 | add+incr p50 | add+incr p99 | on disk |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in arguments.backends.split(","):
        for entries in arguments.entries:
            (set50, set99), (incr50, incr99), size, _filled = measure(name, entries, arguments.writes)
            print(
                f"| {name} | {entries:,} | {set50:.2f} ms | {set99:.2f} ms | {incr50:.2f} ms | {incr99:.2f} ms "
                f"| {size / 2**20:.0f} MB |",
                flush=True,
            )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_cache")
    (FOLDER / "database-cache.sqlite3").unlink(missing_ok=True)


if __name__ == "__main__":
    try:
        main()
    except sqlite3.Error as error:
        raise SystemExit(f"SQLite: {error}") from error
