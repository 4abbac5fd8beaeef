"""Development zones and their figures: the public gate, availability per language, the rules a
figure, a map and the land figures must meet, and when a figure is stale."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from news.investment.models import DevelopmentZone, Indicator, ZoneFigure
from news.investment.models.zones import tianditu_url
from tests.factories import make_figure, make_project, make_zone

pytestmark = pytest.mark.django_db


class TestGate:
    def test_published_due_and_not_unpublished(self):
        now = timezone.now()
        shown = make_zone()
        make_zone(status="draft")
        make_zone(publish_at=now + timedelta(minutes=5))
        make_zone(unpublish_at=now - timedelta(minutes=1), publish_at=now - timedelta(days=1))
        assert list(DevelopmentZone.objects.published(now)) == [shown]

    def test_available_only_where_name_and_overview_are_written(self):
        both = make_zone()
        chinese = make_zone(languages=("zh-hans",))
        assert set(DevelopmentZone.objects.public("zh-hans")) == {both, chinese}
        assert list(DevelopmentZone.objects.public("en")) == [both]
        assert chinese.available_languages() == ["zh-hans"]


class TestFigures:
    def test_a_figure_without_a_source_is_refused(self):
        figure = ZoneFigure(
            zone=make_zone(), indicator=Indicator.objects.get(slug="gdp"), value=10, year=2024, source=""
        )
        with pytest.raises(ValidationError) as refused:
            figure.full_clean()
        assert "source_zh_hans" in refused.value.message_dict

    def test_a_figure_without_a_year_is_refused(self):
        figure = ZoneFigure(zone=make_zone(), indicator=Indicator.objects.get(slug="gdp"), value=10, source_en="x")
        with pytest.raises(ValidationError) as refused:
            figure.full_clean()
        assert "year" in refused.value.message_dict

    def test_a_figure_of_a_year_not_begun_is_refused(self):
        figure = ZoneFigure(
            zone=make_zone(),
            indicator=Indicator.objects.get(slug="gdp"),
            value=10,
            year=timezone.localdate().year + 1,
            source_en="x",
        )
        with pytest.raises(ValidationError):
            figure.full_clean()

    @pytest.mark.parametrize(
        ("year", "quarter", "today", "stale"),
        [
            (2023, None, date(2025, 12, 31), False),  # two years after the end of 2023: not yet
            (2023, None, date(2026, 1, 1), True),
            (2024, 2, date(2026, 6, 30), False),
            (2024, 2, date(2026, 7, 1), True),
            (2025, None, date(2026, 11, 30), False),
        ],
    )
    def test_stale_when_its_period_ended_more_than_two_years_ago(self, year, quarter, today, stale):
        figure = ZoneFigure(year=year, quarter=quarter)
        assert figure.is_stale(today) is stale

    @pytest.mark.parametrize("quarter", [None, 3])
    def test_the_database_keeps_one_figure_per_period_too(self, quarter):
        """On SQLite as on PostgreSQL: a whole year (no quarter) once went in twice on SQLite."""
        zone = make_zone()
        make_figure(zone, 2024, quarter=quarter)
        make_figure(zone, 2024, quarter=1 if quarter is None else None)  # the other kind of period is fine
        with pytest.raises(IntegrityError), transaction.atomic():
            make_figure(zone, 2024, quarter=quarter)
        assert zone.figures.count() == 2

    def test_one_figure_per_zone_indicator_and_period(self):
        zone = make_zone()
        make_figure(zone, 2024)
        make_figure(zone, 2024, quarter=3)
        with pytest.raises(ValidationError):
            ZoneFigure(
                zone=zone, indicator=Indicator.objects.get(slug="gdp"), value=1, year=2024, source_en="x"
            ).validate_constraints()


class TestRules:
    def test_a_map_needs_its_review_number(self):
        zone = make_zone()
        zone.map_image.name = "zones/maps/2026/map.png"  # no file needed for the rule
        with pytest.raises(ValidationError) as refused:
            zone.clean()
        assert "map_review_number" in refused.value.message_dict
        zone.map_review_number = "吉S（2024）001号"
        zone.clean()

    def test_land_figures_need_their_date(self):
        zone = make_zone(available_land_mu=1200)
        with pytest.raises(ValidationError) as refused:
            zone.clean()
        assert "land_as_of" in refused.value.message_dict

    def test_land_figures_older_than_a_year_are_flagged(self):
        zone = make_zone(available_land_mu=1200, land_as_of=date(2025, 11, 30))
        assert not zone.land_is_stale(date(2026, 11, 30))
        assert zone.land_is_stale(date(2026, 12, 1))

    def test_publishing_needs_a_language_with_name_and_overview(self):
        zone = make_zone(languages=())
        with pytest.raises(ValidationError) as refused:
            zone.clean()
        assert "overview_zh_hans" in refused.value.message_dict

    def test_a_zone_with_projects_cannot_be_deleted(self):
        zone = make_zone()
        make_project(zone=zone)
        with pytest.raises(ProtectedError):
            zone.delete()

    def test_the_map_is_a_link_out_to_tianditu(self):
        assert tianditu_url(None, 125.3) == ""
        assert tianditu_url(43.88, 125.35) == "https://map.tianditu.gov.cn/?l=14&x=125.350000&y=43.880000"


def test_a_zone_cannot_be_part_of_a_zone_that_is_part_of_it():
    # Only "part of itself" was refused: A → B → A was accepted, and an export of it could not
    # be imported again (the first zone's parent does not exist yet).
    outer = make_zone()
    inner = make_zone(parent=outer)
    outer.parent = inner
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        outer.full_clean()
    assert "parent" in refused.value.message_dict
    outer.parent = None
    inner.parent = inner
    with pytest.raises(ValidationError):
        inner.full_clean()
