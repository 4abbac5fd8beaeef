"""axe-core (vendored: tests/browser/axe.min.js, 4.14.1) on the reader pages in both languages.

WCAG 2.0/2.1 A and AA rules and axe's best practices. The test fails on any serious or critical
violation and prints every violation it found, whatever its impact.
"""

import json

import pytest

from news.models import Article

from .conftest import AXE_SCRIPT, PHONE

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = {
    "home": lambda language, article: f"/{language}/",
    "column": lambda language, article: f"/{language}/column/investment-dynamics/",
    "article": lambda language, article: article.get_absolute_url().replace("/zh-hans/", f"/{language}/"),
    "search": lambda language, article: f"/{language}/search/?q=" + ("吉林" if language == "zh-hans" else "Jilin"),
    "404": lambda language, article: f"/{language}/no-such-page/",
    "project list": lambda language, article: f"/{language}/projects/",
    "project": lambda language, article: demo_project().get_absolute_url(language),
    "brochure": lambda language, article: f"/{language}/projects/{demo_project().code}/print/",
    "enquiry form": lambda language, article: f"/{language}/enquiry/project/{demo_project().code}/",
    "zone directory": lambda language, article: f"/{language}/zones/",
    "zone": lambda language, article: f"/{language}/zones/changchun-new-area/",
}


def demo_project():
    """A demo project on offer, in a zone."""
    from news.investment.models import Project

    return Project.objects.published().filter(deal_status="open").order_by("pk").first()


def axe_violations(page):
    page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_accessibility_violations(web, demo, name, language):
    article = Article.objects.published().filter(featured=True, cover_image__gt="").first()
    path = PAGES[name](language, article)
    for viewport in (None, PHONE):
        # bypass_csp: axe is injected by the test, which a strict Content-Security-Policy would refuse.
        page = web.open(path, bypass_csp=True, **({"viewport": viewport} if viewport else {}))
        violations = axe_violations(page)
        print(path, viewport or "desktop", json.dumps(violations, ensure_ascii=False, indent=1))
        serious = [violation for violation in violations if violation["impact"] in {"serious", "critical"}]
        assert serious == [], f"{path} ({viewport or 'desktop'})"


CONTRAST_RULES = ["color-contrast", "color-contrast-enhanced"]
HIGH_CONTRAST_PAGES = {
    "home": lambda language: f"/{language}/",
    "column": lambda language: f"/{language}/column/investment-dynamics/",
    "article": lambda language: (
        Article.objects.published()
        .filter(featured=True, cover_image__gt="")
        .first()
        .get_absolute_url()
        .replace("/zh-hans/", f"/{language}/")
    ),
    "policy library": lambda language: f"/{language}/policies/",
    "policy document": lambda language: (
        Article.objects.get(slug="state-council-measures-to-promote-foreign-investment-growth")
        .get_absolute_url()
        .replace("/zh-hans/", f"/{language}/")
    ),
}


def contrast_violations(page):
    """axe's colour-contrast rules on the page: ``(violations, number of texts checked)``."""
    page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("(rules) => axe.run(document, {runOnly: {type: 'rule', values: rules}})", CONTRAST_RULES)
    checked = sum(len(rule["nodes"]) for rule in result["passes"] if rule["id"] == "color-contrast")
    violations = [(item["id"], [node["target"] for node in item["nodes"]][:5]) for item in result["violations"]]
    return violations, checked


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_high_contrast_mode_passes_axes_contrast_checks(web, demo, language):
    """The elder-friendly mode's high contrast, turned on from the keyboard with its switch in the
    header: axe's colour-contrast rules, AA (4.5:1) and AAA (7:1), find nothing on home, a column, an
    article, the policy library and a policy document, on a desktop and a phone; the mode stays on from
    page to page (localStorage) and sets no cookie. Without it the AAA rule does find the muted grey,
    so the check is not one that cannot fail."""
    label = "适老模式" if language == "zh-hans" else "Elder-friendly mode"
    for viewport in (None, PHONE):
        page = web.open(f"/{language}/", bypass_csp=True, **({"viewport": viewport} if viewport else {}))
        violations, _checked = contrast_violations(page)
        assert any(rule == "color-contrast-enhanced" for rule, _nodes in violations)
        switch = page.get_by_role("button", name=label)
        switch.focus()
        page.keyboard.press("Enter")
        assert switch.get_attribute("aria-pressed") == "true"
        for name, path in HIGH_CONTRAST_PAGES.items():
            page.goto(path(language))
            classes = page.evaluate("document.documentElement.className").split()
            assert "contrast-high" in classes and "text-x-large" in classes, name
            violations, checked = contrast_violations(page)
            assert checked > 20, f"axe checked only {checked} texts on {name}"
            assert violations == [], f"{name} ({viewport or 'desktop'})"
        assert page.context.cookies() == []
        # Off again from the same switch: the page's own colours return.
        page.get_by_role("button", name=label).click()
        assert "contrast-high" not in page.evaluate("document.documentElement.className")
