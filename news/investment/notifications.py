"""Mail about enquiries: a notification only, sent after the record is committed (spec 1, rule 1).

Every function here runs from ``transaction.on_commit``: the enquiry is already in the database,
so a mail server that is down, slow or refusing loses nothing. A failed send is written down as an
``EnquiryEvent`` "notification failed" (shown in the inbox) and logged by reference and error type
only: no address, name or message goes to the logs.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Enquiry, EnquiryEvent

logger = logging.getLogger("portal.enquiries")

RATING_SALT = "investment.enquiry-rating"


def rating_token(enquiry):
    return signing.dumps({"e": enquiry.pk, "r": enquiry.reference}, salt=RATING_SALT)


def _send(enquiry, recipients, subject, body, *, role, event=None):
    """Send one message; on failure record it on the enquiry. True when the server accepted it."""
    if not recipients:
        return False
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[enquiry.desk.email],
    )
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - whatever the mail system raises, the enquiry stays and says so
        logger.warning("enquiry %s: notification to the %s failed (%s)", enquiry.reference, role, type(error).__name__)
        EnquiryEvent.objects.create(
            enquiry=enquiry,
            action=EnquiryEvent.Action.NOTIFICATION_FAILED,
            text=f"{role}: {type(error).__name__}: {str(error)[:200]}",
        )
        return False
    if event is not None:
        EnquiryEvent.objects.filter(pk=event.pk).update(emailed=True)
    return True


def desk_recipients(desk):
    members = [email for email in desk.members.filter(is_active=True).values_list("email", flat=True) if email]
    return list(dict.fromkeys([desk.email, *members]))


def enquiry_received(enquiry_pk):
    """Tell the desk that an enquiry arrived (no personal data: the inbox has it), and the sender its reference."""
    enquiry = Enquiry.objects.select_related("desk").get(pk=enquiry_pk)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            enquiry,
            desk_recipients(enquiry.desk),
            _("New enquiry %(reference)s") % {"reference": enquiry.reference},
            render_to_string("investment/mail/desk_new_enquiry.txt", {"enquiry": enquiry}),
            role="desk",
        )
    with translation.override(enquiry.language):
        _send(
            enquiry,
            [enquiry.email],
            _("Your enquiry %(reference)s has been received") % {"reference": enquiry.reference},
            render_to_string("investment/mail/sender_received.txt", {"enquiry": enquiry}),
            role="sender",
        )


def reply_sent(event_pk, site_root):
    """Send a reply event's text to the sender, with a signed link to rate a substantive answer."""
    event = EnquiryEvent.objects.select_related("enquiry__desk").get(pk=event_pk)
    enquiry = event.enquiry
    with translation.override(enquiry.language):
        rating_url = None
        if event.substantive:
            rating_url = site_root + reverse("investment:enquiry-rating", args=[rating_token(enquiry)])
        body = render_to_string(
            "investment/mail/sender_reply.txt", {"enquiry": enquiry, "event": event, "rating_url": rating_url}
        )
        _send(
            enquiry,
            [enquiry.email],
            _("Reply to your enquiry %(reference)s") % {"reference": enquiry.reference},
            body,
            role="sender",
            event=event,
        )
