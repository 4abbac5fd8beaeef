from django import template

from ..housekeeping import stale_columns, uninterpreted_documents

register = template.Library()


@register.simple_tag(takes_context=True)
def inspection_lists(context):
    """What the admin's home page lists for inspections (``news.policies.housekeeping``), for
    those who work on articles (``news.change_article``); ``{}`` (and no query) for the others,
    such as enquiry officers, whose home page would link to articles they may not open."""
    if not context["request"].user.has_perm("news.change_article"):
        return {}
    late, empty = stale_columns()
    return {"late": late, "empty": empty, "uninterpreted": list(uninterpreted_documents()[:20])}
