"""Working days (spec 1, rule 3): a holiday week with a make-up working Saturday."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.utils import timezone

from news.investment.calendar import add_working_days, deadline, is_working_day, working_days_between
from news.investment.demo import holiday_calendar
from news.investment.models import WorkingDay

# National Day 2026 as arranged by the State Council: 1–7 October off (Thursday to Wednesday),
# Saturday 10 October a make-up working day.
NATIONAL_DAY = {date(2026, 10, d): False for d in range(1, 8)} | {date(2026, 10, 10): True}


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 9, 28), 0, date(2026, 9, 28)),  # Monday: no days, the same day
        (date(2026, 9, 28), 2, date(2026, 9, 30)),  # Tuesday and Wednesday, before the holiday
        (date(2026, 9, 29), 2, date(2026, 10, 8)),  # Wednesday 30th, then the holiday, then Thursday 8th
        (date(2026, 9, 30), 2, date(2026, 10, 9)),  # Thursday 8th and Friday 9th
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # the make-up Saturday counts
        (date(2026, 9, 30), 4, date(2026, 10, 12)),  # Sunday 11th does not
        (date(2026, 10, 3), 1, date(2026, 10, 8)),  # arriving during the holiday
        (date(2026, 9, 25), 10, date(2026, 10, 15)),  # 28–30 Sep, 8–10 Oct, 12–15 Oct
    ],
)
def test_working_days_across_national_day(start, days, expected):
    assert add_working_days(start, days, NATIONAL_DAY) == expected


def test_ordinary_weeks_skip_weekends_only():
    assert add_working_days(date(2026, 11, 6), 1, {}) == date(2026, 11, 9)  # Friday → Monday
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12), NATIONAL_DAY) == 4


@pytest.mark.django_db
def test_deadline_reads_the_editable_calendar_and_ends_with_the_day(settings):
    WorkingDay.objects.bulk_create(WorkingDay(date=day, is_working_day=work) for day, work in NATIONAL_DAY.items())
    received = timezone.make_aware(datetime(2026, 9, 30, 16, 45))
    due = deadline(received, 3)
    # The end of Saturday 10 October in Beijing time.
    assert timezone.localtime(due) == timezone.make_aware(datetime(2026, 10, 11, 0, 0))
    WorkingDay.objects.filter(date=date(2026, 10, 10)).update(is_working_day=False)
    assert timezone.localtime(deadline(received, 3)).date() == date(2026, 10, 13)


def test_the_demo_calendar_agrees_with_the_state_councils_arrangements_for_2025_and_2026():
    """Every day of 2025 and 2026, working or not, as the chinesecalendar package has it (a maintained
    copy of the State Council's yearly notices on holiday arrangements and make-up working days)."""
    overrides = {day: working for day, working, _note in holiday_calendar()}
    day, differences = date(2025, 1, 1), []
    while day.year < 2027:
        if is_working_day(day, overrides) != chinese_calendar.is_workday(day):
            differences.append(day)
        day += timedelta(days=1)
    assert differences == []
