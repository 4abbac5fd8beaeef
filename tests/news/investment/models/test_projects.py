"""The project: its code, its published() gate with validity, its schedule, its publishing rules."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.investment.models import Project, Serial
from news.investment.models.projects import a_year_after, site_zone, validity_end
from tests.factories import SectorFactory, make_desk, make_project

pytestmark = pytest.mark.django_db

BEIJING = site_zone()


def today():
    return timezone.localdate(timezone.now(), BEIJING)


def test_codes_follow_the_prefix_and_year_and_are_never_reused(settings):
    settings.PORTAL_PROJECT_CODE_PREFIX = "JL"
    year = timezone.localtime(timezone.now(), BEIJING).year
    first, second = make_project(), make_project()
    assert first.code == f"JL{year}-0001" and second.code == f"JL{year}-0002"
    second.delete()
    assert make_project().code == f"JL{year}-0003"
    assert Serial.objects.get(kind="project", year=year).last == 3


def test_saving_again_keeps_the_code():
    project = make_project()
    code = project.code
    project.save()
    project.refresh_from_db()
    assert project.code == code


def test_validity_ends_at_beijing_midnight_after_the_last_day():
    end = validity_end(date(2026, 11, 30))
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 Beijing time


def test_a_year_after_handles_29_february():
    assert a_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert a_year_after(date(2026, 3, 1)) == date(2027, 3, 1)


class TestPublishedGate:
    def test_a_valid_published_project_is_published_and_on_site(self):
        project = make_project()
        assert list(Project.objects.published()) == [project]
        assert project.is_published()

    def test_expired_projects_leave_published_but_stay_on_site(self):
        project = make_project(valid_until=today())
        end = validity_end(today())
        assert list(Project.objects.published(end - timedelta(seconds=1))) == [project]
        assert list(Project.objects.published(end)) == []
        assert list(Project.objects.on_site(end)) == [project]
        assert project.is_published(end - timedelta(seconds=1)) and not project.is_published(end)

    def test_withdrawn_projects_leave_published_but_stay_on_site(self):
        project = make_project(deal_status="withdrawn", deal_status_date=today(), withdrawn_reason_en="Site sold")
        assert list(Project.objects.published()) == []
        assert list(Project.objects.on_site()) == [project]

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": "draft"},
            {"status": "review"},
            {"publish_at": timezone.now() + timedelta(hours=1)},
            {"unpublish_at": timezone.now() - timedelta(minutes=1)},
        ],
    )
    def test_workflow_and_schedule_gate_both(self, fields):
        make_project(**fields)
        assert not Project.objects.on_site().exists() and not Project.objects.published().exists()

    def test_public_needs_the_languages_texts(self):
        chinese_only = make_project(languages=("zh-hans",))
        assert list(Project.objects.public("zh-hans")) == [chinese_only]
        assert list(Project.objects.public("en")) == []
        assert chinese_only.available_languages() == ["zh-hans"]


class TestSchedule:
    def test_next_change_is_the_earliest_publish_unpublish_or_end_of_validity(self):
        now = timezone.now()
        assert Project.objects.next_schedule_change(now) is None
        make_project(publish_at=now + timedelta(days=20))
        make_project(unpublish_at=now + timedelta(days=10))
        make_project(valid_until=today() + timedelta(days=2))
        make_project(valid_until=today(), status="draft")
        assert Project.objects.next_schedule_change(now) == validity_end(today() + timedelta(days=2))

    def test_a_project_valid_today_changes_at_midnight(self):
        now = timezone.now()
        make_project(valid_until=today())
        assert Project.objects.next_schedule_change(now) == datetime.combine(
            today() + timedelta(days=1), time.min, tzinfo=BEIJING
        )


class TestRules:
    def draft(self, **fields):
        return make_project(status="draft", **fields)

    def test_publishing_needs_sectors_and_cooperation_modes(self):
        project = self.draft(sectors=[], cooperation_modes=[])
        project.status = "published"
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert {"sectors", "cooperation_modes"} <= set(error.value.message_dict)

    def test_publishing_needs_a_validity_ahead(self):
        project = self.draft(valid_until=today() - timedelta(days=1))
        project.status = "published"
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert "valid_until" in error.value.message_dict

    def test_an_expired_published_project_can_still_be_corrected(self):
        project = make_project()
        Project.objects.filter(pk=project.pk).update(valid_until=today() - timedelta(days=3))
        project.refresh_from_db()
        project.summary_en = "Corrected"
        project.full_clean()

    def test_a_cover_needs_its_alt_text_in_each_available_language(self):
        from tests.factories import image_file

        project = self.draft()
        project.cover_image = image_file()
        project.status = "published"
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert {"cover_alt_zh_hans", "cover_alt_en"} <= set(error.value.message_dict)

    def test_sought_cannot_exceed_total_and_deal_states_need_their_date_and_reason(self):
        project = self.draft(total_investment=100)
        project.investment_sought = 200
        project.deal_status = "withdrawn"
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert {"investment_sought", "deal_status_date", "withdrawn_reason_zh_hans"} <= set(error.value.message_dict)

    def test_confirm_still_valid_sets_verified_and_a_year(self):
        project = make_project()
        project.confirm_still_valid(date(2026, 5, 6))
        assert project.verified_on == date(2026, 5, 6) and project.valid_until == date(2027, 5, 6)

    def test_the_project_desk_answers_an_enquiry_about_it(self):
        from tests.factories import make_enquiry

        make_desk(is_default=True)
        sector = SectorFactory()
        desk = make_desk(sectors=[sector])
        project_desk = make_desk()
        project = make_project(desk=project_desk)
        assert make_enquiry(project=project).desk == project_desk
        assert make_enquiry().desk != project_desk
        assert desk != project_desk
