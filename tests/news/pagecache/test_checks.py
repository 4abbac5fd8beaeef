"""The system check that keeps the page cache's fast path honest (news/pagecache/checks.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from news.pagecache.checks import OUTER_MIDDLEWARE, PAGE_CACHE_MIDDLEWARE, check_middleware_above_page_cache


def test_the_projects_own_settings_pass():
    assert check_middleware_above_page_cache() == []
    # As an operator runs it: a fresh process with the project's settings.
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_SECRET_KEY": "check-only"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_every_middleware_the_project_puts_above_the_page_cache_is_known(settings):
    middleware = list(settings.MIDDLEWARE)
    assert set(middleware[: middleware.index(PAGE_CACHE_MIDDLEWARE)]) <= set(OUTER_MIDDLEWARE)


def test_another_middleware_above_the_page_cache_fails_the_check_and_says_why(settings):
    settings.MIDDLEWARE = ["myproject.middleware.RequestIdMiddleware", *settings.MIDDLEWARE]
    errors = check_middleware_above_page_cache()
    assert [error.id for error in errors] == ["pagecache.E001"]
    assert errors[0].obj == "myproject.middleware.RequestIdMiddleware"
    assert "no middleware above the page cache runs" in errors[0].hint
    with pytest.raises(SystemCheckError, match="RequestIdMiddleware"):
        call_command("check")


def test_a_middleware_below_the_page_cache_is_fine(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "myproject.middleware.RequestIdMiddleware"]
    assert check_middleware_above_page_cache() == []


def test_without_the_page_cache_there_is_nothing_to_check(settings):
    settings.MIDDLEWARE = ["myproject.middleware.RequestIdMiddleware"]
    assert check_middleware_above_page_cache() == []
