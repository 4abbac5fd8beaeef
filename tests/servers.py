"""Services for the tests: the shared cache emptied, free ports, a local S3 server's buckets, and
the portal as a real server for tests that break what is under it (tests/test_*_outage.py).

Like `make run`: the settings from the environment, migrate, the demo, collectstatic, then
gunicorn with two workers on a free port, its output in a log file the test can read.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache


def clear_cache():
    """The shared cache emptied, and what this process keeps for a content version (the chrome,
    live figures, template fragments): what a page costs cold. A cache without a version takes
    the database's (news/pagecache/version.py), so emptying it alone no longer changes the version
    those memos are kept for."""
    from django.core.cache import caches

    from news import context_processors, visits
    from news.pagecache import live

    # With Redis, delete only this run's keys (KEY_PREFIX) instead of flushing the database.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    context_processors.reset()
    visits.forget_stored_figures()
    live.reset()
    if "template_fragments" in settings.CACHES:  # tests that replace CACHES may leave it out
        caches["template_fragments"].clear()
    if "article_parts" in settings.CACHES:
        caches["article_parts"].clear()


def free_port():
    """A port nobody listens on now, so that test runs side by side do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- A local S3 server (moto): the endpoint is the s3_endpoint fixture in tests/conftest.py ---


def s3_environment(endpoint, bucket):
    """The environment variables that put media in ``bucket`` on the local S3 server."""
    return {
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "testing",
        "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        # The bucket is private by default; media must be readable by anyone.
        "MEDIA_S3_ACL": "public-read",
    }


def s3_client(endpoint):
    """A boto3 client for the local S3 server (moto accepts any credentials)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def new_bucket(endpoint):
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket


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


# --- A real local SMTP server (aiosmtpd), for the enquiry notifications ---


class SMTPRecorder:
    """An aiosmtpd handler that keeps what it accepts, or refuses every message with ``refuse``."""

    def __init__(self, refuse=None):
        self.refuse = refuse
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.messages.append(envelope)
        return "250 OK"


@contextmanager
def smtp_server(refuse=None):
    """A local SMTP server on a free port for the duration: yields (port, recorder)."""
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder(refuse)
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, recorder
    finally:
        controller.stop()


class RedisServer:
    """A private redis-server on ``port`` (never the shared one): started, stopped, hung, resumed.

    ``stop()`` ends it the way an operator does (SIGTERM), and it saves its data on the way out,
    so that ``start()`` brings back the same keys: a Redis that refused connections for a while.
    ``pause()`` (SIGSTOP) leaves it listening and answering nothing: a hung Redis.
    """

    def __init__(self, port, directory):
        self.port, self.directory, self.process = port, directory, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "3600 1"]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
            except redis.BusyLoadingError:
                time.sleep(0.05)

    def stop(self):
        """SIGTERM: it saves its keys and stops; connections are refused until ``start()``."""
        self.process.terminate()
        self.process.wait(timeout=20)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=20)
