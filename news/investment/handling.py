"""What is done with an enquiry, each step one transaction that writes the enquiry and its event.

new → acknowledged → in progress → answered → closed, with transfer (back to new at another
desk, reason required) and spam as side exits. Only a reply marked substantive sets
``answered_at`` and stops the clock; any other reply leaves the enquiry in progress. Mail goes
out after commit (``notifications``), so nothing here can be lost to a mail server.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .calendar import calendar_from, deadline
from .models import Enquiry, EnquiryDesk, EnquiryEvent
from .routing import desk_facts, route

State = Enquiry.State
Action = EnquiryEvent.Action


def _set_deadlines(enquiry, start):
    overrides = calendar_from(timezone.localtime(start).date())
    enquiry.acknowledge_due = deadline(start, enquiry.desk.acknowledge_days, overrides)
    enquiry.due_at = deadline(start, enquiry.desk.answer_days, overrides)


def receive(enquiry, sectors=(), *, held_as_spam=False, spam_reason="", notify=True):
    """Save a new enquiry: route it, set its deadlines, give it a reference, record it; mail after commit.

    ``held_as_spam``: kept for review in state spam, and nobody is notified. ``notify=False``: no
    mail at all (the demo's made-up senders). Returns the enquiry.
    """
    sector_ids = frozenset(sector.pk for sector in sectors)
    with transaction.atomic():
        enquiry.desk = EnquiryDesk.objects.get(
            pk=route(
                desk_facts(),
                language=enquiry.language,
                sectors=sector_ids,
                region=enquiry.region_id,
                project_desk=enquiry.project.desk_id if enquiry.project_id else None,
                zone_desk=enquiry.zone.desk_id if enquiry.zone_id else None,
            )
        )
        _set_deadlines(enquiry, enquiry.submitted_at)
        months = settings.PORTAL_ENQUIRY_RETENTION_MONTHS
        enquiry.purge_after = enquiry.submitted_at + timedelta(days=round(months * 365.25 / 12))
        if held_as_spam:
            enquiry.state = State.SPAM
        enquiry.assign_reference()
        enquiry.save()
        enquiry.sectors.set(sector_ids)
        EnquiryEvent.objects.create(
            enquiry=enquiry, action=Action.RECEIVED, at=enquiry.submitted_at, to_desk=enquiry.desk
        )
        if held_as_spam:
            EnquiryEvent.objects.create(enquiry=enquiry, action=Action.SPAM, text=spam_reason)
        elif notify:
            transaction.on_commit(partial(notifications.enquiry_received, enquiry.pk))
    return enquiry


def _step(enquiry, user, action, *, state=None, text="", **event_fields):
    with transaction.atomic():
        now = timezone.now()
        changed = []
        if state is not None and enquiry.state != state:
            enquiry.state = state
            changed.append("state")
        if action == Action.ACKNOWLEDGE and enquiry.acknowledged_at is None:
            enquiry.acknowledged_at = now
            changed.append("acknowledged_at")
        if state == State.CLOSED:
            enquiry.closed_at = now
            changed.append("closed_at")
        if changed:
            enquiry.save(update_fields=changed)
        return EnquiryEvent.objects.create(
            enquiry=enquiry, actor=user, action=action, text=text, at=now, **event_fields
        )


def acknowledge(enquiry, user):
    if enquiry.state != State.NEW:
        raise ValidationError(_("Only a new enquiry can be acknowledged."), code="state")
    return _step(enquiry, user, Action.ACKNOWLEDGE, state=State.ACKNOWLEDGED)


def assign(enquiry, user, assignee):
    with transaction.atomic():
        enquiry.assigned_to = assignee
        enquiry.save(update_fields=["assigned_to"])
        state = State.IN_PROGRESS if enquiry.state == State.ACKNOWLEDGED else None
        return _step(enquiry, user, Action.ASSIGN, state=state, text=assignee.get_username())


def transfer(enquiry, user, desk, reason):
    """Hand the enquiry to another desk: back to new there, its deadlines counted afresh from now."""
    if not reason.strip():
        raise ValidationError(_("Say why the enquiry is transferred."), code="reason")
    if desk.pk == enquiry.desk_id:
        raise ValidationError(_("The enquiry is already at this desk."), code="desk")
    with transaction.atomic():
        enquiry.desk = desk
        enquiry.assigned_to = None
        enquiry.acknowledged_at = None
        _set_deadlines(enquiry, timezone.now())
        enquiry.save(update_fields=["desk", "assigned_to", "acknowledged_at", "acknowledge_due", "due_at"])
        return _step(enquiry, user, Action.TRANSFER, state=State.NEW, text=reason.strip(), to_desk=desk)


def reply(enquiry, user, text, *, substantive, site_root="", notify=True):
    """Store a reply, then mail it after commit. A substantive one answers the enquiry and stops the clock."""
    if not text.strip():
        raise ValidationError(_("Write the reply."), code="text")
    if enquiry.state in (State.CLOSED, State.SPAM):
        raise ValidationError(_("Reopen the enquiry before replying."), code="state")
    with transaction.atomic():
        if enquiry.acknowledged_at is None:
            enquiry.acknowledged_at = timezone.now()
        if substantive and enquiry.answered_at is None:
            enquiry.answered_at = timezone.now()
        enquiry.save(update_fields=["acknowledged_at", "answered_at"])
        state = State.ANSWERED if substantive else State.IN_PROGRESS
        event = _step(enquiry, user, Action.REPLY, state=state, text=text.strip(), substantive=substantive)
        if notify:
            transaction.on_commit(partial(notifications.reply_sent, event.pk, site_root))
    return event


def close(enquiry, user, note=""):
    return _step(enquiry, user, Action.CLOSE, state=State.CLOSED, text=note)


def mark_spam(enquiry, user, note=""):
    return _step(enquiry, user, Action.SPAM, state=State.SPAM, text=note)


def add_note(enquiry, user, text):
    """An internal note on the enquiry's history; the sender never sees it. Raises
    ``ValidationError`` (code ``"empty"``) when ``text`` is blank."""
    if not text.strip():
        raise ValidationError(_("Write the note."), code="empty")
    return _step(enquiry, user, Action.NOTE, text=text.strip())


def reopen(enquiry, user, note=""):
    if enquiry.state not in (State.CLOSED, State.SPAM):
        raise ValidationError(_("Only a closed enquiry or spam can be reopened."), code="state")
    state = State.ANSWERED if enquiry.answered_at else State.IN_PROGRESS if enquiry.acknowledged_at else State.NEW
    return _step(enquiry, user, Action.REOPEN, state=state, text=note)


def rate(enquiry, satisfaction, comment=""):
    """The sender's rating of the answer, 1–5, through the signed link; the last one counts."""
    if satisfaction not in range(1, 6):
        raise ValidationError(_("Choose a rating from 1 to 5."), code="satisfaction")
    with transaction.atomic():
        enquiry.satisfaction = satisfaction
        enquiry.satisfaction_comment = comment.strip()[:2000]
        enquiry.save(update_fields=["satisfaction", "satisfaction_comment"])
        return EnquiryEvent.objects.create(enquiry=enquiry, action=Action.RATED, text=str(satisfaction))
