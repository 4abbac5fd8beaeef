"""Telling an editor their article was sent back: always on the admin's home page
(``news.dashboard``), and by e-mail when an SMTP server is configured (``PORTAL_NOTIFY_BY_EMAIL``)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


def sent_back(article, reason, by, change_url):
    """Mail the article's author (``created_by``) that ``by`` sent it back with ``reason``, once
    the save commits. A mail that fails is logged; the home page still shows it."""
    author = article.created_by
    if not settings.PORTAL_NOTIFY_BY_EMAIL or author is None or not author.email or author == by:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Sent back: %(article)s") % {"article": article}
        body = gettext("%(who)s sent your article back.\n\nReview comments: %(reason)s\n\n%(url)s") % {
            "who": by.get_full_name() or by.get_username(),
            "reason": reason or "—",
            "url": change_url,
        }

    def send():
        try:
            send_mail(subject, body, None, [author.email])
        except OSError:
            logger.exception("The sent-back notice for article %s could not be mailed.", article.pk)

    transaction.on_commit(send)
