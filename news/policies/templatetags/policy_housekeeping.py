from django import template

from ..housekeeping import (
    EXPIRY_NOTICE_DAYS,
    REVIEW_AFTER_YEARS,
    expiring_documents,
    stale_columns,
    uninterpreted_documents,
    unreviewed_documents,
)

register = template.Library()

# At most this many documents per list (each list is one query, whatever its length).
LIMIT = 20


@register.simple_tag(takes_context=True)
def inspection_lists(context):
    """What the admin's home page lists for inspections (``news.policies.housekeeping``), for
    those who work on articles (``news.change_article``); ``{}`` (and no query) for the others,
    such as enquiry officers, whose home page would link to articles they may not open."""
    if not context["request"].user.has_perm("news.change_article"):
        return {}
    late, empty = stale_columns()
    return {
        "late": late,
        "empty": empty,
        "uninterpreted": list(uninterpreted_documents()[:LIMIT]),
        "expiring": list(expiring_documents()[:LIMIT]),
        "unreviewed": list(unreviewed_documents()[:LIMIT]),
        "expiry_days": EXPIRY_NOTICE_DAYS,
        "review_years": REVIEW_AFTER_YEARS,
    }
