"""A worker's start does the setting up its first request used to do (news/operations/warmup.py)."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.template import engines
from django.test import override_settings

from news.operations import warmup


def cached_loader():
    [loader] = engines["django"].engine.template_loaders
    return loader


def test_the_reader_templates_are_compiled_before_any_request():
    loader = cached_loader()
    loader.reset()
    assert "base.html" not in loader.get_template_cache
    warmup.warm_up()
    names = warmup.reader_templates()
    assert "base.html" in names and "news/article_detail.html" in names
    assert not [name for name in names if name.startswith("admin/")]
    assert set(names) <= set(loader.get_template_cache)


def test_a_failure_is_logged_and_leaves_the_work_to_the_first_request(monkeypatch, caplog):
    def broken():
        raise RuntimeError("a URLconf that cannot be imported")

    monkeypatch.setattr(warmup, "get_resolver", broken)
    with caplog.at_level(logging.ERROR, logger="news.operations.warmup"):
        warmup.warm_up()  # does not raise: the worker still starts
    assert "Warming up the worker failed" in caplog.text


def embedded_cache(location):
    return {
        **settings.CACHES,
        "default": {"BACKEND": "news.operations.sharedcache.DiskCache", "LOCATION": str(location)},
    }


def test_the_embedded_cache_is_opened_at_start_so_a_disk_that_fills_later_finds_it_open(tmp_path):
    # Opening a SQLite store writes (its folder, schema and journal); on a full disk a worker
    # whose first reader came after the disk filled had no cache at all (tests/test_disk_outage.py).
    with override_settings(CACHES=embedded_cache(tmp_path / "shared-cache")):
        assert not (tmp_path / "shared-cache").exists()
        warmup.warm_up()
        assert (tmp_path / "shared-cache" / "pages").is_dir()
        assert (tmp_path / "shared-cache" / "state").is_dir()


def test_an_embedded_cache_that_cannot_be_opened_leaves_the_worker_starting(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # a file where the cache's folder should be: opening fails
    with override_settings(CACHES=embedded_cache(blocked)):
        warmup.warm_up()  # does not raise: the stores are opened on first use instead
        assert caches["default"].open_stores() == ["pages", "state"]
        assert caches["default"].get("anything", "missed") == "missed"


def test_a_worker_keeps_what_it_set_up_out_of_the_garbage_collectors_sight():
    """portal/wsgi.py freezes what the worker built at start, the warm-up's templates included."""
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import gc, portal.wsgi;"
        "from django.template.loader import get_template;"
        "template = get_template('base.html');"
        "oldest = gc.get_objects(generation=2);"
        "print(gc.get_freeze_count(), gc.is_tracked(template), any(o is template for o in oldest))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert int(found[0]) > 10_000
    assert found[1:] == ["True", "False"]  # tracked, but in the permanent generation
