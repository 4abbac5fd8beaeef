"""``{% load investment_admin %}``: the investor services' panels on the admin home (``news.investment.dashboard``)."""

from django import template

from .. import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def investment_panels(context):
    return dashboard.panels(context["request"].user)
