"""The Nu HTML checker (vnu.jar, what `make validate` runs through tools/audit.py) finds no error on
any kind of reader page, in either language: home, column, year and month archives, article, tag,
region, search, static page, accessibility statement, policy library (and a topic), policy document,
project list and project, zone directory and zone, the enquiry form (plain, about a project, and
asking for a document in another format), and the 404 page.

The pages are rendered from the demo content by Django's test client, saved, and checked in one run
of the checker. It needs Java and node_modules/vnu-jar (`npm ci`); without them the test is skipped
and says which is missing, except where ``PORTAL_NU_CHECKER=required`` (.ci/run sets it), where that
is a failure.
"""

import os
import subprocess

import pytest
from django.core.files.base import ContentFile

from news import demo
from news.models import Article, Attachment, Column, Region, Tag
from news.policies.models import TopicCategory
from tools import audit
from tools.audit import SEED_SLUG, nu_check, nu_checker_missing

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def reader_pages(language):
    """``{name: path}``: one page of every kind in ``language``, from the demo content."""
    from news.investment.models import DevelopmentZone, Project

    published = Article.objects.public(language).order_by("-publish_at", "-pk")
    article = Article.objects.get(slug=SEED_SLUG)
    column = Column.objects.get(slug="investment-dynamics")
    in_column = published.filter(column=column).first()
    tag = Tag.objects.filter(articles__in=published).first()
    region = Region.objects.filter(articles__in=published).first()
    policy = Article.objects.get(slug="state-council-measures-to-promote-foreign-investment-growth")
    project = Project.objects.published().filter(deal_status="open").order_by("pk").first()
    zone = DevelopmentZone.objects.published().order_by("pk").first()
    attachment = Attachment.objects.filter(article__in=published).first()
    local = in_column.publish_at.astimezone()
    pages = {
        "home": f"/{language}/",
        "column": f"/{language}/column/{column.slug}/",
        "year archive": f"/{language}/column/{column.slug}/{local.year}/",
        "month archive": f"/{language}/column/{column.slug}/{local.year}/{local.month:02d}/",
        "article": article.get_absolute_url(language),
        "tag": f"/{language}/tag/{tag.slug}/",
        "region": f"/{language}/region/{region.slug}/",
        "search": f"/{language}/search/?q=" + ("吉林" if language == "zh-hans" else "Jilin"),
        "search without results": f"/{language}/search/?q=zzzzqqq",
        "page": f"/{language}/page/about/",
        "accessibility statement": f"/{language}/page/accessibility/",
        "policy library": f"/{language}/policies/",
        "policy document": policy.get_absolute_url(language),
        "project list": f"/{language}/projects/",
        "project": project.get_absolute_url(language),
        "zone directory": f"/{language}/zones/",
        "zone": zone.get_absolute_url(language),
        "enquiry form": f"/{language}/enquiry/",
        "enquiry about a project": f"/{language}/enquiry/project/{project.code}/",
        "404": f"/{language}/no-such-page/",
    }
    pages["policy topic"] = f"/{language}/policies/topic/{TopicCategory.objects.get(code='0802').slug}/"
    if attachment is not None:
        pages["enquiry for another format"] = f"/{language}/enquiry/?attachment={attachment.pk}"
    return pages


def test_every_kind_of_reader_page_has_no_nu_checker_error(client, tmp_path):
    missing = nu_checker_missing()
    if missing:
        if os.environ.get("PORTAL_NU_CHECKER") == "required":
            pytest.fail(f"PORTAL_NU_CHECKER=required, but {missing}")
        pytest.skip(missing)
    demo.load()
    # An attachment that is not accessible, so the article shows the "ask for another format" link.
    attachment = Attachment(article=Article.objects.get(slug=SEED_SLUG), title_zh_hans="全文", title_en="Full text")
    attachment.file.save("full-text.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    attachment.save()
    files = {}
    for language in LANGUAGES:
        with_language = reader_pages(language)
        for name, path in with_language.items():
            response = client.get(path)
            expected = 404 if name == "404" else 200
            assert response.status_code == expected, (path, response.status_code)
            assert response["Content-Type"].startswith("text/html")
            target = tmp_path / f"{len(files):02d}.html"
            target.write_bytes(response.content)
            files[str(target.resolve())] = f"{name} ({language}) {path}"
    assert len(files) == 2 * 22
    errors, _warnings = nu_check(files)
    assert [f"{e['url']}:{e.get('lastLine')}: {e.get('message')}" for e in errors] == []


@pytest.mark.parametrize("returncode", [1, 2])
def test_a_checker_that_could_not_run_is_an_error_not_a_pass(monkeypatch, returncode):
    """Java exits 1 with nothing on stdout when it cannot run the jar, as vnu does with errors."""
    failed = subprocess.CompletedProcess([], returncode, stdout="", stderr="Error: Unable to access jarfile vnu.jar")
    monkeypatch.setattr(audit.subprocess, "run", lambda *args, **kwargs: failed)
    errors, _warnings = nu_check({"/pages/00.html": "home (en) /en/"})
    assert [(error["url"], error["message"]) for error in errors] == [
        ("vnu.jar", f"exit {returncode}: Error: Unable to access jarfile vnu.jar")
    ]
