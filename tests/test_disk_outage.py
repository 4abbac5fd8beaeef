"""A full data folder: the portal keeps answering its readers, cached pages included.

A real server (gunicorn, two workers, SQLite and the file cache, as ``make run``) whose data
folder is a small tmpfs, filled to the last byte under it: every write (the page cache, the
visit counts, the database) fails with ENOSPC. Needs root to mount the tmpfs; skipped otherwise.
"""

import shutil
import subprocess
import time

import pytest

from tests import servers

requests = pytest.importorskip("requests", reason="requests comes with moto[server], a development requirement")


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    mounted = subprocess.run(
        [shutil.which("mount") or "/bin/mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run([shutil.which("umount") or "/bin/umount", "-l", str(folder)], check=False)


def fill(folder):
    """Write until the disk is full, to the last page; returns the filler files."""
    fillers = []
    for size in (1 << 20, 4096, 1):
        path = folder / f"filler-{size}"
        fillers.append(path)
        with path.open("wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                pass
    return fillers


def test_a_full_data_folder_still_serves_every_page(small_disk):
    env = servers.environment(small_disk, PORTAL_VISIT_FLUSH_SECONDS="0")
    servers.prepare(env)
    log = small_disk.parent / "gunicorn.log"
    browser = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"}
    with servers.gunicorn(env, log) as base:
        cached = ["/en/", "/zh-hans/", "/en/page/about/"]
        for path in cached:
            for _worker in range(3):
                requests.get(base + path, headers=browser, timeout=30)
        assert requests.get(base + "/en/", timeout=30).headers.get("X-Page-Cache") == "hit"

        fillers = fill(small_disk)
        for round_ in range(3):
            for path in [*cached, f"/en/search/?q=full+{round_}", "/zh-hans/page/about/"]:
                # New readers: each view's visit is counted, and flushed after it (written: fails).
                headers = {**browser, "X-Forwarded-For": f"198.51.100.{round_}"}
                response = requests.get(base + path, headers=headers, timeout=30)
                assert response.status_code == 200, (path, response.text[:300])
        last = requests.get(base + "/en/", timeout=30)
        assert last.headers.get("X-Page-Cache") == "hit", (dict(last.headers), log.read_text()[-4000:])
        assert requests.get(base + "/healthz", timeout=30).status_code == 200
        status = requests.get(base + "/healthz/status", timeout=30)
        assert status.status_code == 503 and status.json()["storage"] == "error"

        for path in fillers:
            path.unlink(missing_ok=True)
        time.sleep(0.2)
        assert requests.get(base + "/healthz/status", timeout=30).status_code == 200
    output = log.read_text()
    assert " 500 " not in output and "Internal Server Error" not in output, output[-3000:]
