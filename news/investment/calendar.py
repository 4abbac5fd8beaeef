"""Deadlines in working days (工作日), the way Chinese administrative time limits are counted.

A day is a working day when the calendar (``WorkingDay``) says so, else when it is Monday to
Friday: a holiday on a weekday and a make-up working Saturday (调休) are both rows there. The
day something arrives does not count; the deadline is the end of the n-th working day after it,
in the site's time zone.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .models import WorkingDay

# Enough for the longest deadline (60 working days for a complaint) across Golden Week.
LOOKAHEAD_DAYS = 200


def is_working_day(day, overrides):
    """``overrides``: {date: bool} from the calendar; otherwise Monday to Friday work."""
    return overrides.get(day, day.weekday() < 5)


def add_working_days(start, days, overrides):
    """The date of the ``days``-th working day after the date ``start`` (``start`` itself not counted).

    ``days`` = 0 gives ``start``. Pure: ``overrides`` is {date: is_working_day}.
    """
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            days -= 1
    return day


def working_days_between(start, end, overrides):
    """How many working days after the date ``start`` up to and including ``end`` (0 if none)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, overrides)
    return count


def calendar_from(start):
    """The calendar's exceptions from the date ``start`` on, as {date: is_working_day}."""
    rows = WorkingDay.objects.filter(date__gte=start, date__lte=start + timedelta(days=LOOKAHEAD_DAYS))
    return dict(rows.values_list("date", "is_working_day"))


def deadline(moment, days, overrides=None):
    """The aware datetime at which ``days`` working days after ``moment`` have passed (end of that day)."""
    start = timezone.localtime(moment).date()
    overrides = calendar_from(start) if overrides is None else overrides
    last = add_working_days(start, days, overrides)
    return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
