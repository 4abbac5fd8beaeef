"""A running portal whose PostgreSQL server stops, then starts again.

The test makes a PostgreSQL cluster of its own (initdb in a temporary folder, a free port) and
never touches the shared server. It serves the demo with gunicorn as `make run` does, stops the
cluster under it and checks what readers get, starts it again and checks that the same server,
not restarted, serves pages again.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests import servers
from tests.servers import free_port

requests = pytest.importorskip("requests", reason="requests comes with moto[server], a development requirement")

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the PostgreSQL run's test (.ci/run sets DATABASE_URL to PostgreSQL)",
    ),
]


def postgresql_bin():
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class Cluster:
    """A throw-away PostgreSQL cluster on 127.0.0.1:port, trusting local connections."""

    def __init__(self, bindir):
        self.bindir, self.port = bindir, free_port()
        self.root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")

    def run(self, program, *args):
        command = [*self.as_user, str(self.bindir / program), *map(str, args)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster():
    bindir = postgresql_bin()
    if bindir is None:
        pytest.skip("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def server(cluster, tmp_path):
    """The demo site served by gunicorn (two workers, as `make run`) on the cluster."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True) as db:
        db.execute("CREATE DATABASE portal")
    # The file cache in the data folder: the page cache keeps working while the database is away.
    env = servers.environment(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.port}/portal")
    servers.prepare(env)
    log = tmp_path / "gunicorn.log"
    with servers.gunicorn(env, log) as base:
        yield base, log


def test_readers_get_a_503_while_postgresql_is_stopped_and_pages_once_it_is_back(cluster, server):
    base, log = server
    # Enough requests to reach both workers, each with its persistent connection.
    searches = [f"/en/search/?q=investment+{n}" for n in range(6)]
    for path in ["/en/", "/zh-hans/", *searches]:
        assert requests.get(base + path, timeout=30).status_code == 200
    assert requests.get(base + "/en/", timeout=30).headers["X-Page-Cache"] == "hit"

    cluster.stop()
    # A page in the page cache is still served; everything else is the 503 page.
    cached = requests.get(base + "/en/", timeout=30)
    assert cached.status_code == 200 and cached.headers["X-Page-Cache"] == "hit"
    for n in range(6):
        for path, first in (
            (f"/en/search/?q=trade+{n}", "Service temporarily unavailable"),
            (f"/zh-hans/search/?q=贸易{n}", "服务暂时不可用"),
        ):
            response = requests.get(base + path, timeout=30)
            assert response.status_code == 503, response.text[:300]
            assert response.headers["Retry-After"] == "30"
            assert "Service temporarily unavailable" in response.text and "服务暂时不可用" in response.text
            assert response.text.index(first) < response.text.index("</h1>")  # the reader's language first
            assert "Traceback" not in response.text and "OperationalError" not in response.text
    health = requests.get(base + "/healthz/status", timeout=30)
    assert health.status_code == 503 and health.json()["database"] == "error"
    assert requests.get(base + "/healthz", timeout=30).status_code == 200  # the balancer keeps it

    cluster.start()
    # The same server, not restarted: every request from now on is served (both workers).
    for n in range(6):
        response = requests.get(base + f"/en/search/?q=trade+{n}", timeout=30)
        assert response.status_code == 200, response.text[:300]
    assert requests.get(base + "/healthz/status", timeout=30).status_code == 200

    output = log.read_text()
    assert "Traceback" not in output
    assert "Database unavailable (OperationalError)" in output
