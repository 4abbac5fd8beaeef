"""A worker's start does the setting up its first request used to do (news/operations/warmup.py)."""

import logging

from django.template import engines

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
