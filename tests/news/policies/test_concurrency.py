"""Index numbers under two publishes at once, on PostgreSQL with two real connections (SQLite
takes one writer at a time, so the race cannot happen there)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from news import workflow
from news.models import Article
from news.policies.models import DocumentMeta, IndexSerial
from tests.factories import make_issuer, make_policy, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two real connections at once: PostgreSQL only"),
]


def in_thread(target, *args):
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args)
        except Exception as error:  # noqa: BLE001 - reported by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def publish(pk, user, barrier):
    article = Article.objects.get(pk=pk)
    barrier.wait(timeout=10)
    workflow.apply(article, "publish", user)
    return DocumentMeta.objects.get(article_id=pk).index_number


def test_two_publishes_at_once_get_two_sequential_numbers_with_no_counter_row_yet():
    issuer = make_issuer(org_code="000014349")
    senior = make_staff("Senior editor")
    drafts = [make_policy(status=Article.Status.DRAFT, meta={"lead_issuer": issuer}).pk for _ in range(2)]
    assert not IndexSerial.objects.exists()
    barrier = threading.Barrier(2)
    runs = [in_thread(publish, pk, senior, barrier) for pk in drafts]
    for thread, _outcome in runs:
        thread.join(30)
    outcomes = [outcome for _thread, outcome in runs]
    assert all("error" not in outcome for outcome in outcomes), outcomes
    year = Article.objects.get(pk=drafts[0]).publish_at.year
    assert sorted(outcome["value"] for outcome in outcomes) == [
        f"000014349/{year}-00001",
        f"000014349/{year}-00002",
    ]
    assert IndexSerial.objects.get(issuer=issuer, year=year).last == 2


def test_a_publish_waits_for_the_one_holding_the_counter_and_takes_the_next_number():
    issuer = make_issuer(org_code="000014349")
    senior = make_staff("Senior editor")
    first = make_policy(meta={"lead_issuer": issuer})
    year = first.publish_at.year
    draft = make_policy(status=Article.Status.DRAFT, meta={"lead_issuer": issuer})
    holding, released = threading.Event(), threading.Event()

    def hold_the_counter():
        with transaction.atomic():
            serial = IndexSerial.take(issuer, year)
            holding.set()
            released.wait(10)
            time.sleep(0.5)
        return serial

    holder, held = in_thread(hold_the_counter)
    assert holding.wait(10)
    started = time.monotonic()
    released.set()
    barrier = threading.Barrier(1)
    publisher, published = in_thread(publish, draft.pk, senior, barrier)
    holder.join(30)
    publisher.join(30)
    assert "error" not in held and "error" not in published, (held, published)
    assert held["value"] == 2
    # The second publish waited for the first transaction's lock, then counted on from it.
    assert time.monotonic() - started >= 0.4
    assert published["value"] == f"000014349/{year}-00003"
