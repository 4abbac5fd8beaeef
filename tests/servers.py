"""The portal as a real server for tests that break what is under it (tests/test_*_outage.py).

Like `make run`: the settings from the environment, migrate, the demo, collectstatic, then
gunicorn with two workers on a free port, its output in a log file the test can read.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import free_port


def environment(data_dir, **overrides):
    """This process's environment without the portal's settings, plus ``overrides``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MEDIA_S3_", "PORTAL_", "REDIS_", "DATABASE_"))
    }
    clean.update(DJANGO_SECRET_KEY="outage-test-not-a-secret", DJANGO_HTTPS="false", DJANGO_DATA_DIR=str(data_dir))
    clean.update(overrides)
    return clean


def prepare(env):
    """The database migrated and holding the demo; the static files collected."""
    for args in (
        ("migrate", "--noinput", "--verbosity", "0"),
        ("load_demo",),
        ("collectstatic", "--noinput", "--verbosity", "0"),
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )


@contextmanager
def gunicorn(env, log):
    """Yield the base address of gunicorn serving the portal; stop it afterwards."""
    import requests

    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts gunicorn slowly
        while True:
            try:
                if requests.get(base + "/en/", timeout=30).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
