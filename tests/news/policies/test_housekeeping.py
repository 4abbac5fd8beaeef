"""The admin home's inspection list: late and empty columns, and normative documents without a
public interpretation after the configured working days."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.investment.models import WorkingDay
from news.models import Column
from news.policies.housekeeping import (
    expiring_documents,
    stale_columns,
    uninterpreted_documents,
    unreviewed_documents,
    years_before,
)
from news.policies.models import DocumentRelation
from news.policies.validity import site_today
from tests.factories import make_article, make_column, make_policy, make_staff

pytestmark = pytest.mark.django_db
BEIJING = timezone.get_default_timezone()


def test_late_and_empty_columns_by_their_cycle(column):
    now = timezone.now()
    make_article(column, publish_at=now - timedelta(days=15))
    notices = make_column("notices", kind=Column.Kind.NOTICE)
    make_article(notices, publish_at=now - timedelta(days=15))
    weekly = make_column("weekly", update_cycle_days=7)
    make_article(weekly, publish_at=now - timedelta(days=6))
    empty = make_column("empty")
    make_article(empty, status="draft")
    late, empties = stale_columns(now)
    assert [(item[0], item[2]) for item in late] == [(column, 14)]
    assert empties == [empty]


def test_a_normative_document_without_interpretation_after_three_working_days(settings):
    settings.PORTAL_INTERPRETATION_WORKING_DAYS = 3
    # Published on Friday 2026-03-06; Monday 9th is declared a holiday: three working days end on Thursday 12th.
    published = datetime(2026, 3, 6, 10, 0, tzinfo=BEIJING)
    WorkingDay.objects.create(date=datetime(2026, 3, 9).date(), is_working_day=False)
    document = make_policy(publish_at=published, meta={"is_normative": True})
    make_policy(publish_at=published, meta={"is_normative": False})
    assert list(uninterpreted_documents(datetime(2026, 3, 11, 12, 0, tzinfo=BEIJING))) == []
    late = list(uninterpreted_documents(datetime(2026, 3, 12, 12, 0, tzinfo=BEIJING)))
    assert [meta.article_id for meta in late] == [document.pk]
    DocumentRelation.objects.create(
        from_article=make_article(publish_at=published), to_article=document, kind="interprets"
    )
    assert list(uninterpreted_documents(datetime(2026, 3, 12, 12, 0, tzinfo=BEIJING))) == []


def test_the_admin_home_shows_them_in_chinese(client, column):
    make_article(column, publish_at=timezone.now() - timedelta(days=30))
    make_column("empty-one", name_zh_hans="空栏目")
    client.force_login(make_staff("Senior editor"))
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "网站检查" in page and "栏目“空栏目”没有内容。" in page and "栏目“投资动态”已超期" in page


def test_the_inspection_list_is_only_for_those_who_work_on_articles(client, column):
    make_column("empty-one", name_zh_hans="空栏目")
    client.force_login(make_staff("Enquiry officer"))
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "网站检查" not in page and "空栏目" not in page


def test_documents_expiring_within_sixty_days():
    today = site_today()
    soon = make_policy(meta={"expiry_date": today + timedelta(days=60)})
    today_last = make_policy(meta={"expiry_date": today})
    make_policy(meta={"expiry_date": today + timedelta(days=61)})
    make_policy(meta={"expiry_date": today - timedelta(days=1)})  # expired already
    repealed = make_policy(meta={"expiry_date": today + timedelta(days=10)})
    DocumentRelation.objects.create(from_article=make_policy(), to_article=repealed, kind="repeals")
    make_policy(status="draft", meta={"expiry_date": today + timedelta(days=10)})
    assert [meta.article_id for meta in expiring_documents()] == [today_last.pk, soon.pk]


def test_normative_documents_older_than_five_years_without_a_review_note():
    today = site_today()
    old = make_policy(meta={"is_normative": True, "written_date": years_before(today, 5) - timedelta(days=1)})
    make_policy(meta={"is_normative": True, "written_date": years_before(today, 5)})  # five years to the day
    make_policy(meta={"is_normative": True, "written_date": date(2015, 1, 1), "review_note": "2024 年评估：继续有效"})
    make_policy(meta={"is_normative": False, "written_date": date(2015, 1, 1)})
    older = make_policy(meta={"is_normative": True, "written_date": date(2015, 1, 1)})
    assert [meta.article_id for meta in unreviewed_documents()] == [older.pk, old.pk]
    assert years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)


def prompted(count):
    today = site_today()
    for _number in range(count):
        make_policy(meta={"expiry_date": today + timedelta(days=30)})
        make_policy(meta={"is_normative": True, "needs_interpretation": False, "written_date": date(2015, 1, 1)})


def test_the_admin_home_shows_the_prompts_in_chinese_and_its_queries_do_not_grow(
    client, column, django_assert_max_num_queries
):
    client.force_login(make_staff("Senior editor"))
    make_article(column)
    prompted(1)
    with CaptureQueriesContext(connection) as one:
        page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.count("天内到期）：请续期、替代或任其失效。") == 1
    assert page.count("为行政规范性文件，成文于 2015-01-01，已超过 5 年且无清理评估记录。") == 1
    prompted(4)
    with django_assert_max_num_queries(len(one)):
        page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert page.count("天内到期）：请续期、替代或任其失效。") == 5
