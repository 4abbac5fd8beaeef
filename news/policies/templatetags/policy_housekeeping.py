from django import template

from ..housekeeping import stale_columns, uninterpreted_documents

register = template.Library()


@register.simple_tag
def inspection_lists():
    """What the admin's home page lists for inspections (``news.policies.housekeeping``)."""
    late, empty = stale_columns()
    return {"late": late, "empty": empty, "uninterpreted": list(uninterpreted_documents()[:20])}
