"""purge_enquiries blanks personal fields after the retention period and keeps the counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.investment import handling
from news.investment.models import Enquiry
from tests.factories import make_desk, make_enquiry, make_staff

pytestmark = pytest.mark.django_db


def test_purge_blanks_personal_data_past_retention_only(capsys):
    desk = make_desk(is_default=True)
    old, recent = make_enquiry(), make_enquiry()
    handling.reply(old, make_staff("Enquiry officer"), "Dear Ada, here is the answer.", substantive=True)
    Enquiry.objects.filter(pk=old.pk).update(purge_after=timezone.now() - timedelta(days=1))
    call_command("purge_enquiries")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.purged_at and old.name == old.email == old.message == old.organisation == ""
    assert old.reference and old.desk == desk and old.answered_at and old.country == "DE"
    assert not old.events.exclude(text="").exists() and old.events.filter(action="purged").exists()
    assert recent.email == "ada@example.com" and recent.purged_at is None
    assert "1 enquiries purged" in capsys.readouterr().out
    call_command("purge_enquiries")
    assert "0 enquiries purged" in capsys.readouterr().out


def test_retention_is_the_setting_in_months(settings):
    settings.PORTAL_ENQUIRY_RETENTION_MONTHS = 12
    make_desk(is_default=True)
    enquiry = make_enquiry()
    assert 364 <= (enquiry.purge_after - enquiry.submitted_at).days <= 366
