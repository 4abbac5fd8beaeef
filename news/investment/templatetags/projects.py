"""``{% load projects %}``: amounts in 万元 and land in 亩, in the page's language (``news.investment.amounts``)."""

from django import template

from ..amounts import format_amount, format_land

register = template.Library()


@register.filter
def amount(wan_yuan):
    """``{{ project.total_investment|amount }}`` → ``3.5亿元`` / ``CNY 350 million``."""
    return format_amount(wan_yuan)


@register.filter
def land(mu):
    """``{{ project.land_area_mu|land }}`` → ``120亩`` / ``8 ha (120 mu)``."""
    return format_land(mu)
