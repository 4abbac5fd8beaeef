"""Validity computed from relations and dates, in Python and in SQL alike; relations that cannot
loop; the page cache turning over when a date passes and when a repeal is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.models import Article
from news.policies.models import DocumentMeta, DocumentRelation
from news.policies.validity import expiry_moment, site_today, validity
from tests.factories import make_policy

pytestmark = pytest.mark.django_db
V = DocumentMeta.Validity


@pytest.fixture
def clock(monkeypatch):
    """Moves timezone.now() forward, for the views and the page cache alike."""
    real_now = timezone.now
    offset = {"by": timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["by"])
    return offset


def both_ways(article, now=None):
    """The validity in Python and in SQL, which must agree."""
    meta = DocumentMeta.objects.get(article=article)
    in_sql = DocumentMeta.objects.with_validity(now).get(pk=meta.pk).validity
    in_python = validity(meta, now)
    assert in_sql == in_python
    return in_python


def relate(source, kind, target):
    relation = DocumentRelation(from_article=source, to_article=target, kind=kind)
    relation.full_clean()
    relation.save()
    return relation


def test_each_rule_in_python_and_sql():
    today = site_today()
    in_force = make_policy()
    expired = make_policy(meta={"expiry_date": today - timedelta(days=1)})
    last_day = make_policy(meta={"expiry_date": today})
    future = make_policy(meta={"effective_date": today + timedelta(days=1)})
    amended, amending = make_policy(), make_policy()
    repealed, repealing = make_policy(), make_policy()
    replaced, replacing = make_policy(), make_policy()
    partly = make_policy(meta={"validity_override": V.PARTIALLY_IN_FORCE, "validity_reason": "第三条已废止"})
    relate(amending, "amends", amended)
    relate(repealing, "repeals", repealed)
    relate(replacing, "replaces", replaced)
    assert both_ways(in_force) == V.IN_FORCE
    assert both_ways(expired) == V.EXPIRED
    assert both_ways(last_day) == V.IN_FORCE
    assert both_ways(future) == V.NOT_YET_IN_FORCE
    assert both_ways(amended) == V.AMENDED
    assert both_ways(repealed) == V.REPEALED
    assert both_ways(replaced) == V.REPEALED
    assert both_ways(partly) == V.PARTIALLY_IN_FORCE
    in_force_now = set(DocumentMeta.objects.in_force().values_list("article_id", flat=True))
    assert {in_force.pk, last_day.pk, amended.pk, partly.pk} <= in_force_now
    assert not {expired.pk, future.pk, repealed.pk, replaced.pk} & in_force_now


def test_only_a_public_document_repeals():
    repealed = make_policy()
    relate(make_policy(status=Article.Status.DRAFT), "repeals", repealed)
    assert both_ways(repealed) == V.IN_FORCE
    scheduled = make_policy(publish_at=timezone.now() + timedelta(days=2))
    relate(scheduled, "repeals", repealed)
    assert both_ways(repealed) == V.IN_FORCE
    assert both_ways(repealed, timezone.now() + timedelta(days=3)) == V.REPEALED


def test_repeals_replaces_and_amends_cannot_loop():
    first, second, third = make_policy(), make_policy(), make_policy()
    relate(second, "repeals", first)
    relate(third, "amends", second)
    with pytest.raises(ValidationError):
        relate(first, "replaces", third)
    with pytest.raises(ValidationError):
        relate(first, "repeals", first)
    # An interpretation may point either way; it ends nothing.
    relate(first, "interprets", third)


class TestWithThePageCache:
    def test_an_expiry_date_passing_turns_the_page_over_with_no_save(self, client, site, clock):
        today = site_today()
        article = make_policy(title_en="Expiring policy", meta={"expiry_date": today})
        url = article.get_absolute_url("en")
        clock["by"] = expiry_moment(today) - timezone.now() - timedelta(seconds=10)
        first = client.get(url)
        assert "In force" in first.text
        clock["by"] += timedelta(seconds=9)
        cached = client.get(url)
        assert cached.get("X-Page-Cache") == "hit" and "In force" in cached.text
        clock["by"] += timedelta(seconds=1)
        after = client.get(url)
        assert after.get("X-Page-Cache") == "miss"
        assert after.status_code == 200 and f"it was valid until {today:%Y-%m-%d}" in after.text

    def test_a_repeal_flips_the_other_documents_banner_and_library_state_in_one_save(self, client, site):
        old = make_policy(title_en="Old policy")
        new = make_policy(title_en="New policy")
        url = old.get_absolute_url("en")
        assert "In force" in client.get(url).text
        assert client.get(url).get("X-Page-Cache") == "hit"
        assert old.pk in set(DocumentMeta.objects.in_force().values_list("article_id", flat=True))
        DocumentRelation.objects.create(from_article=new, to_article=old, kind="repeals")
        page = client.get(url)
        assert page.get("X-Page-Cache") == "miss"
        assert "Repealed on" in page.text and new.get_absolute_url("en") in page.text
        assert old.pk not in set(DocumentMeta.objects.in_force().values_list("article_id", flat=True))
        # And the repealing document names what it repealed, in its own words.
        assert "Repeals:" in client.get(new.get_absolute_url("en")).text
