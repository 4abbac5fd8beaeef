"""An investor in a real browser, from the home page by links only, in both languages: the zone
directory → a zone → its figures (each with its year) and its projects; the project list → a
project → "express interest" → the reference number."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from news.investment.models import Enquiry

pytestmark = pytest.mark.browser

WORDS = {
    "zh-hans": {
        "columns": "栏目",
        "zones": "开发区与园区",
        "zone": "长春新区",
        "figures": "主要指标",
        "projects": "招商项目库",
        "interest": "表达合作意向",
        "send": "提交咨询",
    },
    "en": {
        "columns": "Columns",
        "zones": "Development zones",
        "zone": "Changchun New Area",
        "figures": "Key figures",
        "projects": "Project library",
        "interest": "Express interest in this project",
        "send": "Send the enquiry",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_zone_directory_zone_figures_and_projects(web, demo, language):
    words = WORDS[language]
    page = web.open(f"/{language}/")
    page.get_by_role("navigation", name=words["columns"]).get_by_role("link", name=words["zones"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/zones/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["zones"])
    page.get_by_role("link", name=words["zone"], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{language}/zones/changchun-new-area/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["zone"])
    # Every figure carries its year; the demo's older one says it is old.
    rows = page.locator(".zone-figures tbody tr")
    expect(rows).to_have_count(2)
    this_year = timezone.localdate().year
    expect(rows.nth(0)).to_contain_text(f"({this_year - 1})")
    expect(rows.nth(1)).to_contain_text(f"({this_year - 4})")
    expect(rows.nth(1).locator(".figure-old")).to_be_visible()
    # Its project, and back from the project to the zone.
    project_link = page.locator(".zone-projects a").first
    title = project_link.inner_text()
    project_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.locator(".key-facts").get_by_role("link", name=words["zone"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/zones/changchun-new-area/$"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_project_list_project_interest_reference_number(web, demo, language, settings):
    settings.PORTAL_ENQUIRY_MIN_SECONDS = 0  # a test fills the form faster than a person
    words = WORDS[language]
    page = web.open(f"/{language}/")
    page.get_by_role("navigation", name=words["columns"]).get_by_role("link", name=words["projects"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/projects/$"))
    first = page.locator(".project-list .project-item h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("link", name=words["interest"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/enquiry/project/JL\d{{4}}-\d{{4}}/$"))
    page.fill("[name=name]", "Demo Investor")
    page.fill("[name=organisation]", "Example Holdings")
    page.select_option("[name=country]", "KR")
    page.fill("[name=email]", "investor@example.com")
    page.fill("[name=message]", "We would like the land terms and a visit to the site next month.")
    page.check("[name=consent_processing]")
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/enquiry/received/"))
    enquiry = Enquiry.objects.get(email="investor@example.com")
    expect(page.locator("main")).to_contain_text(enquiry.reference)
    assert re.fullmatch(r"ZX\d{4}-\d{5}", enquiry.reference)
    assert (enquiry.project.title_en if language == "en" else enquiry.project.title_zh_hans) == title
    assert enquiry.language == language and enquiry.desk == enquiry.project.desk
