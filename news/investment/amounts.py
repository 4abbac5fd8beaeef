"""Amounts and areas as readers expect them, never converted to a foreign currency.

Amounts are stored as integers of 万元 (10,000 yuan), as Chinese project lists give them.
Chinese shows 万元 below 1亿 and 亿元 from there (35000 → "3.5亿元", 8000 → "8000万元"); other
languages show yuan in millions or billions ("CNY 350 million", "CNY 12 billion"): a converted
figure in dollars would be wrong the day after it was printed. Land is stored in 亩 (mu, the
market-system unit: 15 亩 = 1 hectare); Chinese shows 亩, other languages hectares with the 亩
figure after it ("8 ha (120 mu)").
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

WAN = 10_000
YI_IN_WAN = 10_000  # 1亿 = 10,000万
MU_PER_HECTARE = 15


def _number(value, places=2):
    """``value`` with at most ``places`` decimals, trailing zeros dropped, thousands separated: 1,500.25."""
    text = f"{Decimal(value):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chinese(language):
    return (language or translation.get_language() or "").startswith("zh")


def _in_language(function):
    """Words in ``language`` when one is given, whatever language is active."""

    def wrapper(value, language=None):
        if language is None:
            return function(value, language)
        with translation.override(language):
            return function(value, language)

    wrapper.__doc__, wrapper.__name__ = function.__doc__, function.__name__
    return wrapper


@_in_language
def format_amount(wan_yuan, language=None):
    """An amount of 万元 in the reader's terms: ``format_amount(35000, "zh-hans")`` → ``"3.5亿元"``,
    ``format_amount(35000, "en")`` → ``"CNY 350 million"``. None gives ``""``."""
    if wan_yuan is None:
        return ""
    if _chinese(language):
        if wan_yuan >= YI_IN_WAN:
            return f"{_number(Decimal(wan_yuan) / YI_IN_WAN)}亿元"
        return f"{wan_yuan}万元"
    yuan = Decimal(wan_yuan) * WAN
    if yuan >= 1_000_000_000:
        return _("CNY %(amount)s billion") % {"amount": _number(yuan / 1_000_000_000)}
    return _("CNY %(amount)s million") % {"amount": _number(yuan / 1_000_000)}


@_in_language
def format_land(mu, language=None):
    """A land area given in 亩: ``"120亩"`` in Chinese, ``"8 ha (120 mu)"`` otherwise."""
    if mu is None:
        return ""
    if _chinese(language):
        return f"{_number(mu)}亩"
    return _("%(hectares)s ha (%(mu)s mu)") % {"hectares": _number(Decimal(mu) / MU_PER_HECTARE), "mu": _number(mu)}
